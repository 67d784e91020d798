import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router';
import { AppProviders } from '../app/app-providers';
import { AppRoutes } from '../app/app-routes';
import { createQueryClient } from '../app/query-client';
import { signIn } from '../lib/session';

/** Shows the router's current path, so that tests can see where a redirect went. */
function CurrentPath() {
  return <div data-testid="current-path">{useLocation().pathname}</div>;
}

/**
 * Renders the whole app (routes, guards, layouts) at `path`, signed in with `token` if given. Queries
 * are not retried automatically here, so error states show at once.
 */
export function renderApp(path: string, { token }: { token?: string } = {}) {
  if (token !== undefined) signIn(token);
  const user = userEvent.setup();
  const view = render(
    <AppProviders queryClient={createQueryClient({ retries: 0 })}>
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
        <CurrentPath />
      </MemoryRouter>
    </AppProviders>,
  );
  return { user, ...view };
}
