// The person picker: as the user types in a box marked data-person-picker, ask the server for matches
// (structure:people_pick) and show them under the box; choosing one puts "Name (GMC number)" in the box.
// Without JavaScript the box still works: the typed name or number is resolved when the form is sent.
const pickUrl = document.querySelector('meta[name="medlead-people-pick"]')?.content;

function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

function wire(input) {
  const results = document.getElementById(input.id + "-results");
  if (!pickUrl || !results) return;
  const search = debounce(async () => {
    const params = new URLSearchParams({ q: input.value, scope: input.dataset.scope || "all", target: input.id });
    const response = await fetch(pickUrl + "?" + params, { headers: { "HX-Request": "true" } });
    if (response.ok) results.innerHTML = await response.text();
  }, 250);
  input.addEventListener("input", search);
  results.addEventListener("click", (event) => {
    const button = event.target.closest(".ml-pick");
    if (!button) return;
    input.value = button.dataset.value;
    results.innerHTML = "";
    input.focus();
  });
}

document.querySelectorAll("input[data-person-picker]").forEach(wire);
