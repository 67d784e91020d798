import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { Link, useLocation } from 'react-router';
import { TextField } from '../../components/form-fields';
import { ErrorNotice } from '../../components/status';
import { paths } from '../../config/paths';
import { MESSAGES } from '../../lib/api-client';
import { useSession } from '../../lib/session';
import { useLogin } from './api/login';
import { loginFormSchema, type LoginForm } from './auth-form-schemas';

export function LoginPage() {
  const location = useLocation();
  const { endReason } = useSession();
  const login = useLogin();
  const { register, handleSubmit, formState } = useForm<LoginForm>({
    resolver: zodResolver(loginFormSchema),
    defaultValues: { email: '', password: '' },
  });
  // Signing in changes the session, and the route guard then leaves this page.
  const onSubmit = handleSubmit((credentials) => login.mutate(credentials));

  return (
    <article>
      <title>Sign in · Rock of Ages</title>
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
      <form onSubmit={onSubmit} noValidate>
        <TextField label="Email" type="email" autoComplete="username" error={formState.errors.email?.message} {...register('email')} />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          error={formState.errors.password?.message}
          {...register('password')}
        />
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
