import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { Link, useLocation } from 'react-router';
import { TextField } from '../../components/form-fields';
import { ErrorNotice } from '../../components/status';
import { paths } from '../../config/paths';
import { useRegister } from './api/register';
import { registerFormSchema, type RegisterForm } from './auth-form-schemas';

export function RegisterPage() {
  const location = useLocation();
  const registration = useRegister();
  const { register, handleSubmit, formState } = useForm<RegisterForm>({
    resolver: zodResolver(registerFormSchema),
    defaultValues: { first_name: '', last_name: '', email: '', password: '' },
  });
  // A new account is signed in at once, and the route guard then leaves this page.
  const onSubmit = handleSubmit((details) => registration.mutate(details));
  const { errors } = formState;

  return (
    <article>
      <title>Register · Rock of Ages</title>
      <header>
        <h1>Register</h1>
        <p>Start your own rock collection.</p>
      </header>
      {registration.isError && <ErrorNotice error={registration.error} />}
      <form onSubmit={onSubmit} noValidate>
        <div className="grid">
          <TextField label="First name" autoComplete="given-name" error={errors.first_name?.message} {...register('first_name')} />
          <TextField label="Last name" autoComplete="family-name" error={errors.last_name?.message} {...register('last_name')} />
        </div>
        <TextField label="Email" type="email" autoComplete="email" error={errors.email?.message} {...register('email')} />
        <TextField label="Password" type="password" autoComplete="new-password" error={errors.password?.message} {...register('password')} />
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
