/** The pretend world the fake docker, aws, curl and gh commands share (see fake-world.mjs). */

export interface FakeImage {
  id: string;
  /** The image's USER, as `docker image inspect` shows it: '', '1000', '1000:1000' or 'node'. */
  user: string;
  /** What `id -u` prints inside the image (for a USER given by name). */
  uid: number;
  workdir: string;
  /** Where the server process really runs, when its command changes directory away from workdir. */
  serverDirectory?: string;
  /** What /health reports while a container of this image serves port 80. */
  database: 'ok' | 'unreachable';
  /** The container exits at once and Docker keeps restarting it. */
  crashes?: boolean;
  logs: string;
}

export interface FakeMount {
  source: string;
  target: string;
  readonly: boolean;
}

export interface FakeContainer {
  image: string;
  imageId: string;
  status: 'created' | 'running' | 'restarting' | 'exited';
  restartCount: number;
  mounts: FakeMount[];
  /** `-e NAME=value` arguments, as `docker inspect` would list them under Config.Env. */
  env: string[];
  publish: string[];
}

export interface FakeInvocation {
  /** Answers to successive `--query Status` calls; the last one repeats. */
  statuses: string[];
  stdout: string;
  stderr: string;
  /**
   * Answers to successive `list-command-invocations` calls, each the instances a command sent by tag has
   * reached so far; the last one repeats.
   */
  reached?: string[][];
}

/** The ECS cluster the ECS deploy scripts talk to (fake-aws's `ecs` and `logs` calls). */
export interface FakeEcs {
  /** By service name: what describe-services answers. */
  services: Record<
    string,
    {
      taskDefinition: string;
      networkConfiguration?: unknown;
      deployments: { status: string; rolloutState: string }[];
      events: { message: string; createdAt?: string }[];
    }
  >;
  /** By ARN: the parts of each task definition the scripts read. */
  taskDefinitions: Record<string, { containerDefinitions: { name: string; logConfiguration?: { options: Record<string, string> } }[] }>;
  /** run-task's failures instead of a task, when set. */
  runFailures?: { reason: string; detail?: string }[];
  /** The id of the task run-task starts. */
  taskId: string;
  /** Answers to successive describe-tasks calls (lastStatus); the last one repeats. */
  taskStatuses: string[];
  /** The api container's exit code once stopped (null: it never ran). */
  exitCode: number | null;
  stoppedReason?: string;
  containerReason?: string;
  /** CloudWatch Logs: `group/stream` → messages. */
  logs: Record<string, string[]>;
}

export interface World {
  /** What `docker pull` can fetch, by reference. */
  registry: Record<string, FakeImage>;
  /** Images on the instance, by reference. */
  images: Record<string, FakeImage>;
  containers: Record<string, FakeContainer>;
  /** Parameter Store: name → decrypted value. */
  parameters: Record<string, string>;
  /** Secrets Manager: secret ARN → SecretString. */
  secrets: Record<string, string>;
  /** What the instance metadata service says this instance is. */
  instanceId: string;
  /**
   * How CloudFront answers on the public address: `through` passes requests to whichever container
   * publishes port 80 (as the VPC origin does), `error` gives its 502 page.
   */
  cloudFront: 'through' | 'error';
  ecrPassword: string;
  /** What the RDS certificate bundle download returns; null makes it fail. */
  rdsCaBundle: string | null;
  invocation: FakeInvocation;
  /** The newest commit on main, as the GitHub API reports it. */
  mainHead: string;
  ecs?: FakeEcs;
}
