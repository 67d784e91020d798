import { Link, useLocation } from 'react-router';
import { TextField } from '../../components/form-fields';
import { ErrorNotice } from '../../components/status';
import { paths } from '../../config/paths';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useZodForm } from '../../lib/use-zod-form';
import { useRegister } from './api/register';
import { registerFormSchema } from './auth-form-schemas';

export function RegisterPage() {
  useDocumentTitle('Register');
  const location = useLocation();
  const registration = useRegister();
  // A new account is signed in at once, and the route guard then leaves this page.
  const { errors, formProps } = useZodForm(registerFormSchema, (details) => registration.mutate(details));

  return (
    <article>
      <header>
        <h1>Register</h1>
        <p>Start your own rock collection.</p>
      </header>
      {registration.isError && <ErrorNotice error={registration.error} />}
      <form {...formProps}>
        <div className="field-pair">
          <TextField label="First name" name="first_name" autoComplete="given-name" error={errors.first_name} />
          <TextField label="Last name" name="last_name" autoComplete="family-name" error={errors.last_name} />
        </div>
        <TextField label="Email" name="email" type="email" autoComplete="email" error={errors.email} />
        <TextField label="Password" name="password" type="password" autoComplete="new-password" error={errors.password} />
        <button type="submit" disabled={registration.isPending} aria-busy={registration.isPending}>
          {registration.isPending ? 'Creating your account…' : 'Register'}
        </button>
      </form>
      <footer>
        Already have an account?{' '}
        <Link to={paths.login} state={location.state}>
          Sign in
        </Link>
      </footer>
    </article>
  );
}
