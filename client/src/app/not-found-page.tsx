import { Link } from 'react-router';
import { paths } from '../config/paths';
import { useDocumentTitle } from '../lib/use-document-title';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no rock under this one. <Link to={paths.home}>Go back home</Link>.
      </p>
    </section>
  );
}
