// CloudFront Function (cloudfront-js-2.0) on viewer requests to the client's distribution.
// Client-side routes (a last path segment without a dot, such as /rocks/mine) get the single-page app's
// index.html; file paths (/assets/index-3f2a.js) pass through, so a missing file stays an error
// instead of an HTML page served as JavaScript.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- CloudFront calls `handler` by name.
function handler(event) {
  const request = event.request;
  const lastSegment = request.uri.slice(request.uri.lastIndexOf('/') + 1);
  if (!lastSegment.includes('.')) {
    request.uri = '/index.html';
  }
  return request;
}
