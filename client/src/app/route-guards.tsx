import { Navigate, Outlet, useLocation } from 'react-router';
import { paths } from '../config/paths';
import { useSession } from '../lib/session';

/** Where a signed-out visitor was going, so that signing in takes them there. */
interface RedirectState {
  from?: string;
}

/**
 * Signed-out visitors go to the sign-in page, remembering where they were going; after a deliberate
 * logout there is nowhere to go back to.
 */
export function RequireSession() {
  const { token, endReason } = useSession();
  const location = useLocation();
  if (token === null) {
    const state: RedirectState = endReason === 'logout' ? {} : { from: `${location.pathname}${location.search}` };
    return <Navigate to={paths.login} replace state={state} />;
  }
  return <Outlet />;
}

/** Sign-in and registration are for visitors; once signed in, carry on where they were going. */
export function RequireNoSession() {
  const { token } = useSession();
  const { state } = useLocation() as { state: RedirectState | null };
  if (token !== null) return <Navigate to={state?.from ?? paths.home} replace />;
  return <Outlet />;
}
