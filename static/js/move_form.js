/* Move form: show the money and reason fields only for the stages that need them.
   Without this script every field shows; the server checks regardless. */
(function () {
  var select = document.querySelector("select[name=to]");
  if (!select) { return; }
  var groups = document.querySelectorAll("fieldset[data-stages]");
  function update() {
    groups.forEach(function (group) {
      var stages = group.dataset.stages.split(" ");
      group.hidden = stages.indexOf(select.value) === -1;
    });
  }
  select.addEventListener("change", update);
  update();
})();
