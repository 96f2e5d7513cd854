// The explorer page: GraphiQL with a token field and the guides' example operations. Plain JS, no build step.
(function () {
  "use strict";
  var e = React.createElement;
  var tokenInput = document.getElementById("token");
  var examplesSelect = document.getElementById("examples");
  // The token lives for this browser tab only (sessionStorage), never in localStorage.
  tokenInput.value = sessionStorage.getItem("explorer-token") || "";
  tokenInput.addEventListener("input", function () {
    sessionStorage.setItem("explorer-token", tokenInput.value.trim());
  });

  // Sends each operation to this gateway with the pasted token; a pasted "Bearer …" is accepted too.
  function fetcher(params, options) {
    var token = tokenInput.value.trim().replace(/^Bearer\s+/i, "");
    var headers = { "content-type": "application/json", accept: "application/json" };
    if (token) headers.authorization = "Bearer " + token;
    var extra = (options && options.headers) || {};
    Object.keys(extra).forEach(function (name) {
      headers[name] = extra[name];
    });
    return fetch("/graphql", { method: "POST", headers: headers, body: JSON.stringify(params) }).then(function (response) {
      return response.json();
    });
  }

  Promise.all([
    fetch("/explorer/schema.json").then(function (response) {
      return response.json();
    }),
    fetch("/explorer/examples.json").then(function (response) {
      return response.json();
    }),
  ])
    .then(function (loaded) {
      var schema = loaded[0];
      var examples = loaded[1];
      var groups = {};
      examples.forEach(function (example, index) {
        if (!groups[example.roleLabel]) {
          groups[example.roleLabel] = document.createElement("optgroup");
          groups[example.roleLabel].label = example.roleLabel;
          examplesSelect.appendChild(groups[example.roleLabel]);
        }
        var option = document.createElement("option");
        option.value = String(index);
        option.textContent = example.title;
        option.dataset.id = example.id;
        groups[example.roleLabel].appendChild(option);
      });

      var root = ReactDOM.createRoot(document.getElementById("graphiql"));
      var first = examples[0];
      function render(example) {
        // A new key gives GraphiQL a fresh editor state holding the chosen example.
        root.render(
          e(GraphiQL, {
            key: example ? example.id : "empty",
            fetcher: fetcher,
            schema: schema,
            query: example ? example.query : undefined,
            variables: example ? example.variables : undefined,
            defaultEditorToolsVisibility: example && example.variables ? "variables" : false,
            shouldPersistHeaders: false,
          }),
        );
      }
      examplesSelect.addEventListener("change", function () {
        if (examplesSelect.value !== "") render(examples[Number(examplesSelect.value)]);
      });
      render(first);
      if (first) examplesSelect.value = "0";
    })
    .catch(function (error) {
      document.getElementById("graphiql").textContent = "The explorer could not load: " + error;
    });
})();
