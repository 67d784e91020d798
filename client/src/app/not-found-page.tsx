import { Link } from 'react-router';
import { paths } from '../config/paths';

export function NotFoundPage() {
  return (
    <section>
      <title>Page not found · Rock of Ages</title>
      <h1>Page not found</h1>
      <p>
        There is no rock under this one. <Link to={paths.home}>Go back home</Link>.
      </p>
    </section>
  );
}
