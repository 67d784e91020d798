// CloudFront Function (cloudfront-js-2.0) on viewer requests to the distribution's /api/* behaviour.
// The API's routes (/login, /rocks, ...) would clash with the client's own routes at the root, so the
// browser calls them under /api; the API itself knows them without the prefix: /api/rocks reaches it as
// /rocks. The query string is kept apart from the URI by CloudFront and passes through as it is.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- CloudFront calls `handler` by name.
function handler(event) {
  const request = event.request;
  if (request.uri.startsWith('/api/')) {
    request.uri = request.uri.slice('/api'.length);
  }
  return request;
}
