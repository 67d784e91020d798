import { Route, Routes } from 'react-router';
import { paths } from '../config/paths';
import { LoginPage } from '../features/auth/login-page';
import { RegisterPage } from '../features/auth/register-page';
import { HomePage } from '../features/home/home-page';
import { AllRocksPage } from '../features/rocks/all-rocks-page';
import { CollectRockPage } from '../features/rocks/collect-rock-page';
import { MyRocksPage } from '../features/rocks/my-rocks-page';
import { AppLayout } from './layouts/app-layout';
import { AuthLayout } from './layouts/auth-layout';
import { NotFoundPage } from './not-found-page';
import { RequireNoSession, RequireSession } from './route-guards';

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<RequireNoSession />}>
        <Route element={<AuthLayout />}>
          <Route path={paths.login} element={<LoginPage />} />
          <Route path={paths.register} element={<RegisterPage />} />
        </Route>
      </Route>
      <Route element={<RequireSession />}>
        <Route element={<AppLayout />}>
          <Route path={paths.home} element={<HomePage />} />
          <Route path={paths.allRocks} element={<AllRocksPage />} />
          <Route path={paths.myRocks} element={<MyRocksPage />} />
          <Route path={paths.collectRock} element={<CollectRockPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
