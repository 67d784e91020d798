import { z } from 'zod';

/**
 * Every setting of the infrastructure, where it is read from, and what it must look like.
 * A CDK context value (`-c key=value` or cdk.json) wins over the environment variable.
 */
const settingSources = {
  compute: ['ROCK_COMPUTE'],
  region: ['AWS_REGION', 'CDK_DEFAULT_REGION'],
  githubRepository: ['GITHUB_REPOSITORY'],
  githubOidcProviderArn: ['ROCK_GITHUB_OIDC_PROVIDER_ARN'],
  dbInstanceIdentifier: ['ROCK_DB_INSTANCE_IDENTIFIER'],
  dbInstanceClass: ['ROCK_DB_INSTANCE_CLASS'],
  dbPublicAccessCidr: ['ROCK_DB_PUBLIC_ACCESS_CIDR'],
  dbMultiAz: ['ROCK_DB_MULTI_AZ'],
  dbReadReplica: ['ROCK_DB_READ_REPLICA'],
  apiInstanceType: ['ROCK_API_INSTANCE_TYPE'],
  apiHostAmiId: ['ROCK_API_HOST_AMI_ID'],
  apiParameterPrefix: ['ROCK_API_PARAMETER_PREFIX'],
  ecrRepositoryName: ['ROCK_ECR_REPOSITORY_NAME'],
  ecrImagesToKeep: ['ROCK_ECR_IMAGES_TO_KEEP'],
  alarmEmail: ['ROCK_ALARM_EMAIL'],
  devDeleteDataOnDestroy: ['ROCK_DEV_DELETE_DATA_ON_DESTROY'],
  ecsMinTasks: ['ROCK_ECS_MIN_TASKS'],
  ecsMaxTasks: ['ROCK_ECS_MAX_TASKS'],
  ecsTaskCpu: ['ROCK_ECS_TASK_CPU'],
  ecsTaskMemory: ['ROCK_ECS_TASK_MEMORY'],
  wafAuthRequestsPerMinute: ['ROCK_WAF_AUTH_REQUESTS_PER_MINUTE'],
} as const;

/** What runs the API: one EC2 host (the workshop's, the default), or an ECS Fargate service behind a load balancer. */
export const COMPUTE_OPTIONS = ['ec2', 'ecs'] as const;
export type Compute = (typeof COMPUTE_OPTIONS)[number];

/** Fargate's task sizes: for each CPU (units of 1/1024 vCPU), the memory (MiB) it can have. */
const FARGATE_MEMORY: Record<number, { min: number; max: number; step: number }> = {
  256: { min: 512, max: 2048, step: 512 },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
};
const fargateMemoryFits = (cpu: number, memory: number) => {
  const range = FARGATE_MEMORY[cpu];
  if (range === undefined || memory < range.min || memory > range.max) return false;
  // 256 CPU units take 512, 1024 or 2048 MiB.
  return cpu === 256 ? [512, 1024, 2048].includes(memory) : memory % range.step === 0;
};

type SettingName = keyof typeof settingSources;

const publicAccessCidr = z
  .cidrv4({ error: 'an IPv4 range such as 203.0.113.7/32' })
  .refine((cidr) => !cidr.endsWith('/0'), {
    error: 'must be your own address range (such as 203.0.113.7/32), never the whole internet',
  });

// `-c key=true` gives a string, cdk.json a boolean.
const flag = z.preprocess(
  (value) => (typeof value === 'boolean' ? String(value) : value),
  z.stringbool({ error: 'true or false' }),
);

const amiId = z
  .string({
    error:
      'required: the Amazon Linux 2023 image (AMI id) to run, pinned so that no deploy replaces the host by surprise. ' +
      'The current one: aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 ' +
      '--query Parameter.Value --output text (arm64 instead of x86_64 for a Graviton instance type)',
  })
  .regex(/^ami-[0-9a-f]{8,17}$/, 'an AMI id such as ami-0123456789abcdef0');

const taskCount = z.coerce.number({ error: 'a whole number from 1 to 100' }).int().min(1).max(100);

const baseSchema = z.object({
  compute: z.enum(COMPUTE_OPTIONS, { error: 'ec2 (one host, the default) or ecs (Fargate behind a load balancer)' }).default('ec2'),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-2')
    .default('us-east-2'),
  githubRepository: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/, 'a GitHub repository as owner/name')
    .optional(),
  githubOidcProviderArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
      "the ARN of this account's existing GitHub OIDC provider",
    )
    .optional(),
  dbInstanceIdentifier: z
    .string()
    .regex(/^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/, 'an RDS instance identifier: lowercase letters, digits and single hyphens, starting with a letter, at most 63')
    .default('rock-of-ages-db'),
  dbInstanceClass: z
    .string()
    .regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, 'an RDS instance class such as db.t4g.micro')
    .default('db.t4g.micro'),
  dbPublicAccessCidr: publicAccessCidr.optional(),
  apiInstanceType: z
    .string()
    .regex(/^[a-z0-9-]+\.[a-z0-9]+$/, 'an EC2 instance type such as t3.micro')
    .default('t3.micro'),
  apiHostAmiId: amiId,
  apiParameterPrefix: z
    .string()
    .regex(/^(\/[A-Za-z0-9_.-]+)+\/$/, 'a parameter path that starts and ends with /, such as /rock-of-ages/api/')
    .refine((prefix) => !/^\/(aws|ssm)\//i.test(prefix), { error: 'must not start with /aws/ or /ssm/ (reserved)' })
    .default('/rock-of-ages/api/'),
  ecrRepositoryName: z
    .string()
    .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, 'a lowercase ECR repository name')
    .max(256)
    .default('rock-of-ages-api'),
  ecrImagesToKeep: z.coerce.number({ error: 'a whole number from 1 to 1000' }).int().min(1).max(1000).default(10),
  alarmEmail: z.email({ error: 'an e-mail address' }).optional(),
  devDeleteDataOnDestroy: flag.default(false),
  dbMultiAz: flag.optional(),
  dbReadReplica: flag.default(false),
  ecsMinTasks: taskCount.default(2),
  ecsMaxTasks: taskCount.default(10),
  ecsTaskCpu: z.coerce
    .number()
    .refine((cpu) => cpu in FARGATE_MEMORY, { error: 'a Fargate CPU size: 256, 512, 1024, 2048 or 4096' })
    .default(512),
  ecsTaskMemory: z.coerce.number({ error: 'MiB, such as 1024' }).int().default(1024),
  // AWS WAF's rate-based rules count at least 10 requests per window.
  wafAuthRequestsPerMinute: z.coerce.number({ error: 'a whole number from 10 to 100000' }).int().min(10).max(100_000).default(300),
});

type TaskSizes = Pick<z.infer<typeof baseSchema>, 'ecsMinTasks' | 'ecsMaxTasks' | 'ecsTaskCpu' | 'ecsTaskMemory'>;
const checkTaskSizes = (settings: TaskSizes, context: z.RefinementCtx) => {
  if (settings.ecsMinTasks > settings.ecsMaxTasks) {
    context.addIssue({ code: 'custom', path: ['ecsMaxTasks'], message: `must be at least ecsMinTasks (${settings.ecsMinTasks})` });
  }
  if (!fargateMemoryFits(settings.ecsTaskCpu, settings.ecsTaskMemory)) {
    const range = FARGATE_MEMORY[settings.ecsTaskCpu];
    const allowed = range === undefined ? '' : `: ${range.min} to ${range.max} in steps of ${settings.ecsTaskCpu === 256 ? '512 (or 2048)' : range.step}`;
    context.addIssue({ code: 'custom', path: ['ecsTaskMemory'], message: `not a Fargate memory size for ecsTaskCpu ${settings.ecsTaskCpu}${allowed}` });
  }
};

// The host's image is required for the EC2 host only.
const schemas = {
  ec2: baseSchema.superRefine(checkTaskSizes),
  ecs: baseSchema.extend({ apiHostAmiId: amiId.optional() }).superRefine(checkTaskSizes),
};

type ParsedSettings = z.infer<(typeof schemas)['ecs']>;

export type InfraSettings = Omit<ParsedSettings, 'dbMultiAz'> & {
  /** A standby in a second zone: on by default for ECS, which is the option for more than one instance. */
  dbMultiAz: boolean;
};

/** A source of CDK context values, such as `(key) => app.node.tryGetContext(key)`. */
export type ContextReader = (key: string) => unknown;

/**
 * Reads and validates the settings from CDK context and the environment; refuses to go on with a
 * list of every invalid setting, each named by its context key and environment variables.
 */
export function readSettings(context: ContextReader, env: NodeJS.ProcessEnv): InfraSettings {
  const raw: Partial<Record<SettingName, unknown>> = {};
  for (const [name, envNames] of Object.entries(settingSources) as [SettingName, readonly string[]][]) {
    raw[name] = firstGiven([context(name), ...envNames.map((envName) => env[envName])]);
  }
  const parsed = (raw.compute === 'ecs' ? schemas.ecs : schemas.ec2).safeParse(raw);
  if (parsed.success) return { ...parsed.data, dbMultiAz: parsed.data.dbMultiAz ?? parsed.data.compute === 'ecs' };
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]) as SettingName;
    const sources = [`context ${name}`, ...settingSources[name].map((envName) => `env ${envName}`)].join(' or ');
    return `- ${name} (${sources}): ${issue.message}; got ${JSON.stringify(raw[name])}`;
  });
  throw new Error(`Invalid infrastructure settings:\n${problems.join('\n')}`);
}

function firstGiven(values: unknown[]): unknown {
  return values.find((value) => value !== undefined && value !== null && value !== '');
}
