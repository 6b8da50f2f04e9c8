/* A click outside an open <details> menu (Datasette's navigation and table menus) closes it. */
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var inside = ev.target && ev.target.closest ? ev.target.closest("details") : null;
    Array.prototype.forEach.call(document.querySelectorAll("details.nav-menu[open], details.actions-menu-links[open]"), function (menu) {
      if (menu !== inside) { menu.open = false; }
    });
  });
})();
