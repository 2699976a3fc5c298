/* Order screen: keyboard-first entry. Type a code or name, Down/Enter picks a suggestion,
   the quantity field gets the pack size, Enter adds the line and focus returns to the product. */
(function () {
  "use strict";
  function el(id) { return document.getElementById(id); }
  function options() { var box = el("od-suggestions"); return box ? Array.prototype.slice.call(box.querySelectorAll(".od-suggestion")) : []; }
  function closeList() { var box = el("od-suggestions"); if (box) { box.innerHTML = ""; } var p = el("od-product"); if (p) { p.setAttribute("aria-expanded", "false"); } }
  var money = new Intl.NumberFormat(document.documentElement.lang || undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function preview() {
    var product = el("od-product"), qty = el("od-qty"), out = el("od-preview");
    if (!product || !qty || !out) { return; }
    var price = parseFloat(product.dataset.price || ""), n = parseInt(qty.value, 10);
    out.textContent = (isFinite(price) && n > 0) ? "= " + money.format(price * n) : "";
  }

  function pick(button) {
    var product = el("od-product"), qty = el("od-qty");
    product.value = button.dataset.code;
    product.dataset.price = button.dataset.price || "";
    if (!qty.value) { qty.value = button.dataset.pack || "1"; }
    closeList();
    qty.focus();
    qty.select();
    preview();
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target, list = options();
    if (t && t.id === "od-product") {
      if (e.key === "ArrowDown" && list.length) { e.preventDefault(); list[0].focus(); }
      else if (e.key === "Enter") { e.preventDefault(); if (list.length) { pick(list[0]); } else { el("od-qty").focus(); } }
      else if (e.key === "Escape") { closeList(); }
    } else if (t && t.classList && t.classList.contains("od-suggestion")) {
      var i = list.indexOf(t);
      if (e.key === "ArrowDown") { e.preventDefault(); (list[i + 1] || t).focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); if (i > 0) { list[i - 1].focus(); } else { el("od-product").focus(); } }
      else if (e.key === "Escape") { e.preventDefault(); closeList(); el("od-product").focus(); }
    }
  });

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest(".od-suggestion");
    if (button) { e.preventDefault(); pick(button); }
  });

  document.addEventListener("input", function (e) {
    if (e.target && e.target.id === "od-qty") { preview(); }
    if (e.target && e.target.id === "od-product") { e.target.dataset.price = ""; preview(); }
  });

  /* A refusal for missing offers is stale once the badge says enough were offered. */
  function clearOffersRefusal() {
    var badge = el("offers-count"), refusal = el("rejection");
    if (!badge || !badge.classList.contains("ok") || !refusal || refusal.dataset.code !== "OFFERS_MISSING") { return; }
    var text = refusal.querySelector("strong") ? refusal.querySelector("strong").textContent.trim() : "";
    var delivery = el("delivery-errors");
    if (delivery && delivery.textContent.trim() === text) { delivery.remove(); }
    refusal.remove();
  }

  // After settle: while settling, htmx keeps the old attributes of the badge (same id).
  document.addEventListener("htmx:afterSettle", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "offers") { clearOffersRefusal(); }
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail && e.detail.target;
    if (target && target.id === "od-suggestions") {
      el("od-product").setAttribute("aria-expanded", options().length ? "true" : "false");
    }
    if (!target || target.id !== "lines") { return; }
    var source = e.detail.requestConfig && e.detail.requestConfig.elt;
    if (!source || source.id !== "add-line") { return; }
    if (document.getElementById("line-errors")) {
      el("od-qty").focus();
      el("od-qty").select();
    } else {
      el("od-product").value = "";
      el("od-qty").value = "";
      preview();
      closeList();
      el("od-product").focus();
    }
  });
})();
