import { Link, NavLink, Outlet } from 'react-router';
import { paths } from '../../config/paths';
import { signOut } from '../../lib/session';

const links = [
  { to: paths.allRocks, label: 'All Rocks' },
  { to: paths.myRocks, label: 'My Rocks' },
  { to: paths.collectRock, label: 'Collect a Rock' },
];

export function AppLayout() {
  return (
    <>
      <header className="app-header">
        <nav className="container" aria-label="Main">
          <ul>
            <li>
              <Link to={paths.home} className="brand">
                <img src="/favicon.svg" alt="" width="28" height="28" />
                Rock of Ages
              </Link>
            </li>
          </ul>
          <ul>
            {links.map(({ to, label }) => (
              <li key={to}>
                <NavLink to={to}>{label}</NavLink>
              </li>
            ))}
            <li>
              <button type="button" className="secondary outline" onClick={() => signOut()}>
                Logout
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main className="container">
        <Outlet />
      </main>
    </>
  );
}
