import { Link } from 'react-router';
import { paths } from '../../config/paths';
import { useDocumentTitle } from '../../lib/use-document-title';

const destinations = [
  { to: paths.allRocks, title: 'All Rocks', text: 'Browse every rock collected so far, and who found it.' },
  { to: paths.myRocks, title: 'My Rocks', text: 'Your own collection, to admire or to tidy up.' },
  { to: paths.collectRock, title: 'Collect a Rock', text: 'Found a good one? Add it with its weight and type.' },
];

export function HomePage() {
  useDocumentTitle();
  return (
    <section>
      <hgroup>
        <h1>Welcome to Rock of Ages</h1>
        <p>Every rock has a story. Where will yours begin?</p>
      </hgroup>
      <div className="card-grid">
        {destinations.map(({ to, title, text }) => (
          <Link key={to} to={to} className="destination">
            <article>
              <h2>{title}</h2>
              <p>{text}</p>
            </article>
          </Link>
        ))}
      </div>
    </section>
  );
}
