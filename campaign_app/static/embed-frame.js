/* Inside the embedded action pages: tell the host page how tall the content is and which
   actions happened (their kind only), to the host's origin alone; and keep a form from
   being sent twice by a double click. */
(function () {
  "use strict";
  var body = document.body;
  var host = body.getAttribute("data-alerta-host");
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // After the browser has read the form (the clicked button's value goes with it).
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = true;
      });
    }, 0);
  });
  if (!host || window.parent === window) return;
  function post(message) { window.parent.postMessage(message, host); }
  var last = 0;
  function resize() {
    var style = window.getComputedStyle(body);
    var height = Math.ceil(body.getBoundingClientRect().height +
      parseFloat(style.marginTop) + parseFloat(style.marginBottom));
    if (height !== last) { last = height; post({type: "alerta:resize", height: height}); }
  }
  if (window.ResizeObserver) { new ResizeObserver(resize).observe(body); }
  window.addEventListener("load", resize);
  resize();
  (body.getAttribute("data-alerta-events") || "").split(" ").forEach(function (kind) {
    if (kind) { post({type: "alerta:action", kind: kind}); }
  });
}());
