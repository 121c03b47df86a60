// Starts Swagger UI on /api/docs (a file, not an inline script: the CSP allows only 'self').
const root = document.getElementById("swagger-ui");
window.ui = SwaggerUIBundle({
  url: root.dataset.specUrl,
  domNode: root,
  deepLinking: true,
  persistAuthorization: false,
  tryItOutEnabled: false,
});
