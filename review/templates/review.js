// Hovering a mention highlights every mention of the same item. No data is read from the page but
// attribute values the page already shows; nothing is inserted as HTML.
(function () {
  function same(el) {
    var key = el.getAttribute("data-item");
    return key ? document.querySelectorAll('[data-item="' + CSS.escape(key) + '"]') : [];
  }
  document.addEventListener("mouseover", function (e) {
    var el = e.target.closest ? e.target.closest("[data-item]") : null;
    if (el) same(el).forEach(function (x) { x.classList.add("hl"); });
  });
  document.addEventListener("mouseout", function (e) {
    var el = e.target.closest ? e.target.closest("[data-item]") : null;
    if (el) same(el).forEach(function (x) { x.classList.remove("hl"); });
  });
})();
