import { Outlet } from 'react-router';

export function AuthLayout() {
  return (
    <main className="container auth-layout">
      <p className="brand brand-large">
        <img src="/favicon.svg" alt="" width="40" height="40" />
        Rock of Ages
      </p>
      <Outlet />
    </main>
  );
}
