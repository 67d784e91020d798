import { Link, useLocation } from 'react-router';
import { TextField } from '../../components/form-fields';
import { ErrorNotice } from '../../components/status';
import { paths } from '../../config/paths';
import { MESSAGES } from '../../lib/api-client';
import { useSession } from '../../lib/session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useZodForm } from '../../lib/use-zod-form';
import { useLogin } from './api/login';
import { loginFormSchema } from './auth-form-schemas';

export function LoginPage() {
  useDocumentTitle('Sign in');
  const location = useLocation();
  const { endReason } = useSession();
  const login = useLogin();
  // Signing in changes the session, and the route guard then leaves this page.
  const { errors, formProps } = useZodForm(loginFormSchema, (credentials) => login.mutate(credentials));

  return (
    <article>
      <header>
        <h1>Sign in</h1>
        <p>Welcome back, collector.</p>
      </header>
      {endReason === 'expired' && login.isIdle && <p className="notice notice-info">{MESSAGES.sessionEnded}</p>}
      {login.data === false && (
        <p className="notice notice-error" role="alert">
          That e-mail and password do not match an account.
        </p>
      )}
      {login.isError && <ErrorNotice error={login.error} />}
      <form {...formProps}>
        <TextField label="Email" name="email" type="email" autoComplete="username" error={errors.email} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" error={errors.password} />
        <button type="submit" disabled={login.isPending} aria-busy={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <footer>
        Not a member yet?{' '}
        <Link to={paths.register} state={location.state}>
          Register
        </Link>
      </footer>
    </article>
  );
}
