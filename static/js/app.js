// Keyboard-first helpers for the agent's screens. Every page works without this file;
// it only saves key presses while the customer is on the line.
(function () {
  "use strict";

  // F2 (or Alt+N) starts a new call from anywhere.
  document.addEventListener("keydown", function (event) {
    var url = document.body.dataset.newCallUrl;
    if (!url) return;
    if (event.key === "F2" || (event.altKey && (event.key === "n" || event.key === "N"))) {
      event.preventDefault();
      window.location.assign(url);
    }
  });

  // Ctrl+Enter submits the form the cursor is in.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    var form = event.target.closest && event.target.closest("form[data-ctrl-enter-submit]");
    if (!form) return;
    event.preventDefault();
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  });

  // Forms submit once: a double click or a second Enter does nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "yes") { event.preventDefault(); return; }
    form.dataset.submitted = "yes";
    if (form.dataset.autosave) sessionStorage.removeItem(form.dataset.autosave);
  }, true);
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (f) { delete f.dataset.submitted; });
  });

  function initIntake(form) {
    var account = form.querySelector("#id_account");
    var contact = form.querySelector("#id_contact_number");
    var channel = form.querySelector("#id_channel");
    var caseField = form.querySelector("#regulator-case");

    // The contact number is usually the service number: copy it until the agent types another.
    if (account && contact) {
      var contactTouched = contact.value !== "" && contact.value !== account.value;
      contact.addEventListener("input", function () { contactTouched = true; });
      account.addEventListener("input", function () { if (!contactTouched) contact.value = account.value; });
    }
    if (channel && caseField) {
      var toggle = function () {
        var regulator = channel.value === "regulator";
        caseField.hidden = !regulator;
        if (regulator) form.querySelector("details.more").open = true;
      };
      channel.addEventListener("change", toggle);
      toggle();
    }
    enhanceCategory(form.querySelector("select[data-combobox]"));
    autosave(form);
  }

  // The category select becomes a search box: Chinese, pinyin initials or English; Enter picks the first match.
  function enhanceCategory(select) {
    if (!select) return;
    var options = Array.prototype.slice.call(select.options).filter(function (o) { return o.value; });
    var wrap = document.createElement("div");
    wrap.className = "combobox";
    var input = document.createElement("input");
    input.type = "text";
    input.id = "category-search";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "category-options");
    input.placeholder = select.options[0] ? select.options[0].text : "";
    var list = document.createElement("ul");
    list.id = "category-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrap.appendChild(input);
    wrap.appendChild(list);
    select.parentNode.insertBefore(wrap, select);
    select.classList.add("sr-only");
    select.tabIndex = -1;
    var label = select.parentNode.querySelector("label[for='" + select.id + "']");
    if (label) label.htmlFor = input.id;
    var active = 0;
    var matches = [];

    function current() {
      var chosen = select.options[select.selectedIndex];
      input.value = chosen && chosen.value ? chosen.text : "";
    }
    function render() {
      var q = input.value.trim().toLowerCase();
      matches = options.filter(function (o) {
        return !q || (o.text + " " + o.dataset.search).toLowerCase().indexOf(q) !== -1;
      });
      list.innerHTML = "";
      matches.forEach(function (o, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.textContent = o.text;
        li.dataset.value = o.value;
        if (i === active) li.className = "active";
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(o); });
        list.appendChild(li);
      });
      list.hidden = matches.length === 0;
      input.setAttribute("aria-expanded", String(!list.hidden));
    }
    function pick(option) {
      select.value = option.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = option.text;
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      var next = document.getElementById("id_description");
      if (next) next.focus();
    }
    input.addEventListener("input", function () { active = 0; render(); });
    input.addEventListener("focus", function () { input.select(); active = 0; render(); });
    input.addEventListener("blur", function () { list.hidden = true; current(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); active = Math.min(active + 1, matches.length - 1); render(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); active = Math.max(active - 1, 0); render(); }
      else if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) {
        if (matches[active]) { e.preventDefault(); pick(matches[active]); }
      } else if (e.key === "Escape") { list.hidden = true; }
    });
    current();
  }

  // What was typed survives a reload of the page (until the form is submitted).
  function autosave(form) {
    var key = form.dataset.autosave;
    if (!key || !window.sessionStorage) return;
    var saved = sessionStorage.getItem(key);
    var hasErrors = form.querySelector(".field-error, .error-box");
    if (saved && !hasErrors) {
      try {
        var data = JSON.parse(saved);
        Object.keys(data).forEach(function (name) {
          var field = form.elements.namedItem(name);
          if (!field || field.type === "file" || field.type === "hidden") return;
          if (field.type === "checkbox") field.checked = data[name] === true; else field.value = data[name];
        });
        var select = form.querySelector("select[data-combobox]");
        var search = document.getElementById("category-search");
        if (select && search) { var o = select.options[select.selectedIndex]; search.value = o && o.value ? o.text : ""; }
        if (data.account && window.htmx) window.htmx.trigger("#id_account", "keyup", { key: "Enter" });
      } catch (e) { sessionStorage.removeItem(key); }
    }
    form.addEventListener("input", function () {
      var data = {};
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.type === "file" || field.type === "hidden" || field.type === "submit") return;
        data[field.name] = field.type === "checkbox" ? field.checked : field.value;
      });
      sessionStorage.setItem(key, JSON.stringify(data));
    });
  }

  // Countdowns to a due time stay current without a reload.
  function fill(template, values) {
    return template.replace(/%\((\w+)\)[sd]/g, function (_, key) { return values[key]; });
  }
  function tickCountdowns() {
    var unitsNode = document.getElementById("countdown-units");
    if (!unitsNode) return;
    var units = JSON.parse(unitsNode.textContent);
    document.querySelectorAll(".countdown[data-due]").forEach(function (node) {
      var seconds = (Date.parse(node.dataset.due) - Date.now()) / 1000;
      var minutes = Math.floor(Math.abs(seconds) / 60);
      var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
      var span = d ? fill(units.dh, { d: d, h: h }) : h ? fill(units.hm, { h: h, m: m }) : fill(units.m, { m: m });
      node.textContent = fill(seconds >= 0 ? units.left : units.overdue, { span: span });
      if (seconds < 0 && !node.classList.contains("sla-paused")) {
        node.classList.remove("sla-on_time", "sla-at_risk");
        node.classList.add("sla-breached");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var intake = document.getElementById("intake-form");
    if (intake) initIntake(intake);
    tickCountdowns();
    setInterval(tickCountdowns, 30000);
  });
  document.addEventListener("htmx:afterSwap", tickCountdowns);
})();
