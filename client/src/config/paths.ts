/** Every route of the app, in one place, so links and redirects cannot drift apart. */
export const paths = {
  login: '/login',
  register: '/register',
  home: '/',
  allRocks: '/allrocks',
  myRocks: '/mine',
  collectRock: '/create',
} as const;
