/* Alerta's embed: <script src="https://…/embed.js" data-alert="<slug>" async></script>
   puts the alert's action in an iframe here (in place of the <a class="alerta-embed"> link
   before it, the fallback without scripts), resizes it to its content, and passes on the
   frame's "alerta:action" messages as a DOM event. Messages are believed only from the
   frame itself, at Alerta's origin. */
(function () {
  "use strict";
  var scripts = document.querySelectorAll("script[data-alert]");
  Array.prototype.forEach.call(scripts, function (script) {
    if (script.getAttribute("data-alerta-placed") || !/\/embed\.js(\?|$)/.test(script.src)) {
      return;
    }
    var slug = script.getAttribute("data-alert");
    if (!/^[a-z0-9-]{1,80}$/.test(slug || "")) { return; }
    script.setAttribute("data-alerta-placed", "1");
    var origin = new URL(script.src, document.baseURI).origin;
    var src = new URL("/a/" + slug + "/embed", origin);
    src.searchParams.set("host", window.location.origin);
    ["source", "lang"].forEach(function (name) {
      var value = script.getAttribute("data-" + name);
      if (value) { src.searchParams.set(name, value); }
    });
    var frame = document.createElement("iframe");
    frame.src = src.href;
    frame.title = script.getAttribute("data-title") || "Take action";
    frame.className = "alerta-frame";
    frame.style.cssText = "width:100%;border:0;height:40rem;display:block";
    var fallback = script.previousElementSibling;
    if (fallback && fallback.classList.contains("alerta-embed")) {
      fallback.replaceWith(frame);
    } else {
      script.parentNode.insertBefore(frame, script);
    }
    window.addEventListener("message", function (event) {
      var data = event.data;
      if (event.origin !== origin || event.source !== frame.contentWindow ||
          !data || typeof data !== "object") { return; }
      if (data.type === "alerta:resize" && typeof data.height === "number" &&
          data.height > 0 && data.height < 100000) {
        frame.style.height = Math.ceil(data.height) + "px";
      } else if (data.type === "alerta:action" && typeof data.kind === "string") {
        frame.dispatchEvent(new CustomEvent("alerta:action", {
          bubbles: true, detail: {alert: slug, kind: data.kind}}));
      }
    });
  });
}());
