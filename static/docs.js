// Starts Swagger UI on /docs (app/docs.py). A file rather than the inline script FastAPI writes, so that
// the page runs under the same Content-Security-Policy as every other: scripts from the site only.
// The options are FastAPI's defaults, but for the validator badge, which would ask an outside service.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
