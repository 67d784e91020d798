import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './support/sandbox.js';
import type { Job, LocatedStep, Step, Workflow } from './support/workflows.js';
import { parse } from 'yaml';
import { allSteps, describeStep, loadWorkflow, loadWorkflows, usesLines } from './support/workflows.js';

const workflows = loadWorkflows();
const steps = allSteps(workflows);
const DB_SECRET_NAMES = ['DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_HOST', 'DB_PORT'];
const AWS_CREDENTIALS_ACTION = /^aws-actions\/configure-aws-credentials@/;

const usesAws = (job: Job): boolean =>
  job.steps.some((step) => AWS_CREDENTIALS_ACTION.test(step.uses ?? '')) ||
  // A job that calls a reusable workflow needs what that workflow's jobs need.
  (job.uses !== undefined && Object.values(loadWorkflow(path.basename(job.uses)).jobs).some(usesAws));
const runsScript = (step: Step, script: string) => step.run?.includes(`scripts/deploy/${script}`) === true;
const jobsOf = (workflow: Workflow) => Object.entries(workflow.jobs);

function stepRunning(workflow: Workflow, script: string): LocatedStep {
  const found = allSteps([workflow]).find((located) => runsScript(located.step, script));
  if (found === undefined) throw new Error(`${workflow.file} never runs scripts/deploy/${script}`);
  return found;
}

function triggers(workflow: Workflow): string[] {
  return Object.keys(workflow.on).sort();
}

describe('every workflow', () => {
  it('exists: CI, image build, API deploy (EC2 host, or ECS), client deploy', () => {
    expect(workflows.map((workflow) => workflow.file)).toEqual([
      'build-push.yml',
      'ci.yml',
      'deploy-api-ecs.yml',
      'deploy-api.yml',
      'deploy-client.yml',
    ]);
  });

  it('pins every third-party action to a full commit SHA, with its release in a comment', () => {
    const thirdParty = workflows.flatMap((workflow) =>
      usesLines(workflow)
        .filter(({ action }) => !action.startsWith('./'))
        .map((line) => ({ ...line, file: workflow.file })),
    );
    expect(thirdParty.length).toBeGreaterThanOrEqual(10);
    for (const { action, comment, file } of thirdParty) {
      expect(action, file).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      expect(comment, `${file}: ${action}`).toMatch(/^v\d+\.\d+\.\d+$/);
    }
  });

  it('pins each action to one commit everywhere, so that one update moves them all', () => {
    const pins = new Map<string, Set<string>>();
    for (const { action, comment } of workflows.flatMap(usesLines).filter((line) => !line.action.startsWith('./'))) {
      const name = action.slice(0, action.indexOf('@'));
      pins.set(name, (pins.get(name) ?? new Set()).add(`${action} # ${comment}`));
    }
    expect([...pins.keys()].sort()).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'aws-actions/amazon-ecs-deploy-task-definition',
      'aws-actions/amazon-ecs-render-task-definition',
      'aws-actions/configure-aws-credentials',
    ]);
    for (const [name, versions] of pins) expect([...versions], name).toHaveLength(1);
  });

  it('calls only reusable workflows that exist, with every input they require and no other', () => {
    const calls = workflows.flatMap((workflow) => jobsOf(workflow).filter(([, job]) => job.uses !== undefined));
    expect(calls.length).toBeGreaterThan(0);
    for (const [id, job] of calls) {
      expect(job.uses, id).toMatch(/^\.\/\.github\/workflows\/[\w-]+\.ya?ml$/);
      const called = loadWorkflow(path.basename(job.uses ?? ''));
      const inputs = (called.on.workflow_call?.inputs ?? {}) as Record<string, { required?: boolean }>;
      const required = Object.entries(inputs).filter(([, input]) => input.required === true).map(([name]) => name);
      expect(Object.keys(job.with ?? {}).sort(), id).toEqual(Object.keys(inputs).sort());
      for (const name of required) expect(job.with?.[name], `${id} › ${name}`).toBeTruthy();
    }
  });

  it('grants nothing at the top and only what each job needs: contents read, id-token write for AWS', () => {
    for (const workflow of workflows) {
      expect(workflow.permissions, workflow.file).toEqual({});
      for (const [id, job] of jobsOf(workflow)) {
        const expected = usesAws(job) ? { contents: 'read', 'id-token': 'write' } : { contents: 'read' };
        expect(job.permissions, `${workflow.file} › ${id}`).toEqual(expected);
      }
    }
  });

  it('reaches AWS only through the OIDC role, never with stored access keys', () => {
    const awsSteps = steps.filter((located) => AWS_CREDENTIALS_ACTION.test(located.step.uses ?? ''));
    expect(awsSteps.length).toBe(4);
    for (const located of awsSteps) {
      expect(located.step.with, describeStep(located)).toEqual({
        'role-to-assume': '${{ vars.OIDC_ROLE_TO_ASSUME }}',
        'aws-region': '${{ vars.AWS_REGION }}',
      });
    }
    for (const workflow of workflows) expect(workflow.text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
  });

  it('puts no ${{ }} expression inside a run: command line (values arrive through env:)', () => {
    for (const located of steps) {
      if (located.step.run !== undefined) expect(located.step.run, describeStep(located)).not.toContain('${{');
    }
  });

  it('reads secrets only as the env: of the step that stores them in Parameter Store', () => {
    const store = stepRunning(loadWorkflow('deploy-api.yml'), 'store-db-parameters.sh');
    expect(store.step.env).toEqual(Object.fromEntries(DB_SECRET_NAMES.map((name) => [name, `\${{ secrets.${name} }}`])));
    const mentions = workflows.flatMap((workflow) => workflow.text.match(/secrets\.\w+/g) ?? []);
    expect(mentions.sort()).toEqual(DB_SECRET_NAMES.map((name) => `secrets.${name}`).sort());
  });

  it('runs every run: step with bash -eo pipefail, lets no step fail quietly, and bounds every job', () => {
    for (const workflow of workflows) {
      expect(workflow.defaults?.run?.shell, workflow.file).toBe('bash');
      expect(workflow.text, workflow.file).not.toContain('continue-on-error');
      for (const [id, job] of jobsOf(workflow)) {
        // A reusable workflow's own jobs carry the limits.
        if (job.uses === undefined) expect(job['timeout-minutes'], `${workflow.file} › ${id}`).toBeGreaterThan(0);
      }
    }
  });

  it('checks out without leaving the token in the git config', () => {
    const checkouts = steps.filter((located) => located.step.uses?.startsWith('actions/checkout@') === true);
    for (const located of checkouts) expect(located.step.with?.['persist-credentials'], describeStep(located)).toBe(false);
  });

  it('follows only workflows that exist, by their exact name', () => {
    const names = workflows.map((workflow) => workflow.name);
    for (const workflow of workflows) {
      const followed = (workflow.on.workflow_run?.workflows as string[] | undefined) ?? [];
      for (const name of followed) expect(names, workflow.file).toContain(name);
    }
  });
});

describe('CI', () => {
  const ci = loadWorkflow('ci.yml');
  const commands = (job: string) => (ci.jobs[job]?.steps ?? []).map((step) => step.run ?? step.uses ?? '');

  it('runs on every push and pull request', () => {
    expect(triggers(ci)).toEqual(['pull_request', 'push']);
    expect(ci.on.push).toBeNull();
    expect(ci.on.pull_request).toBeNull();
  });

  it('installs with the npm cache, then type-checks and lints', () => {
    const setupNode = ci.jobs.checks?.steps.find((step) => step.uses?.startsWith('actions/setup-node@') === true);
    expect(setupNode?.with?.cache).toBe('npm');
    expect(setupNode?.with?.['node-version']).toBe(24);
    expect(commands('checks').slice(-3)).toEqual(['npm ci', 'npm run typecheck', 'npm run lint']);
  });

  it('runs the whole test suite with a postgres:15 service on 127.0.0.1:5432 (trust) and a browser', () => {
    const test = ci.jobs.test;
    expect(test?.services?.postgres).toMatchObject({
      image: 'postgres:15',
      env: { POSTGRES_HOST_AUTH_METHOD: 'trust' },
      ports: ['5432:5432'],
    });
    expect(test?.env).toEqual({ TEST_DIALECTS: 'sqlite,postgres', CHROMIUM_PATH: '/usr/bin/google-chrome' });
    expect(test?.strategy?.matrix?.node).toEqual([22, 24]);
    expect(test?.steps.find((step) => step.uses?.startsWith('actions/setup-node@') === true)?.with?.cache).toBe('npm');
    expect(commands('test').slice(-2)).toEqual(['npm ci', 'npm test']);
  });

  it('builds both images without pushing them', () => {
    const images = ci.jobs.images;
    expect(images?.strategy?.matrix?.image).toEqual([
      { name: 'API', dockerfile: 'api/Dockerfile', target: 'production' },
      { name: 'client', dockerfile: 'client/Dockerfile', target: 'production' },
    ]);
    expect(commands('images').at(-1)).toBe('docker build --file "$DOCKERFILE" --target "$TARGET" .');
    expect(ci.text).not.toMatch(/docker (push|login)/);
  });

  it('builds Dockerfile stages that exist', () => {
    const images = ci.jobs.images?.strategy?.matrix?.image as { dockerfile: string; target: string }[];
    for (const { dockerfile, target } of images) {
      const stages = readFileSync(path.join(repositoryRoot, dockerfile), 'utf8').match(/^FROM\s+\S+\s+AS\s+(\S+)/gim) ?? [];
      expect(stages.map((line) => line.split(/\s+/).at(-1)), dockerfile).toContain(target);
    }
  });

  it('cancels superseded runs on branches but never on main', () => {
    expect(ci.concurrency).toEqual({
      group: 'ci-${{ github.ref }}',
      'cancel-in-progress': "${{ github.ref != 'refs/heads/main' }}",
    });
  });
});

describe('Build and push API image', () => {
  const build = loadWorkflow('build-push.yml');
  const job = build.jobs['build-push'];
  const runs = (job?.steps ?? []).flatMap((step) => (step.run === undefined ? [] : [step.run])).join('\n');

  it('starts after CI passes for a push to this repository’s main', () => {
    expect(build.on).toEqual({ workflow_run: { workflows: ['CI'], types: ['completed'], branches: ['main'] } });
    expect(job?.if).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(job?.if).toContain("github.event.workflow_run.event == 'push'");
    expect(job?.if).toContain('github.event.workflow_run.head_repository.full_name == github.repository');
  });

  it('builds the API image once, tags it with the commit SHA and latest, and pushes both', () => {
    expect(runs.match(/docker build/g)).toHaveLength(1);
    expect(runs).toContain('docker build --file api/Dockerfile --target production');
    expect(runs).toContain('--tag "$IMAGE:$COMMIT_SHA" .');
    expect(runs).toContain('docker push "$IMAGE:$COMMIT_SHA"');
    expect(runs).toContain('docker tag "$IMAGE:$COMMIT_SHA" "$IMAGE:latest"');
    expect(runs).toContain('docker push "$IMAGE:latest"');
    expect(job?.env).toEqual({
      COMMIT_SHA: '${{ github.event.workflow_run.head_sha }}',
      IMAGE: '${{ vars.ECR_REGISTRY }}/${{ vars.ECR_REPOSITORY }}',
    });
  });

  it("puts AWS's RDS certificate bundle into the build context before the build, for verify-full where nothing mounts it", () => {
    const steps = job?.steps ?? [];
    const fetchIndex = steps.findIndex((step) => step.run?.includes('https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem') === true);
    const buildIndex = steps.findIndex((step) => step.run?.includes('docker build') === true);
    expect(steps[fetchIndex]?.run).toContain('--output api/certs/rds-global-bundle.pem');
    expect(steps[fetchIndex]?.run).toContain('--fail');
    expect(fetchIndex).toBeGreaterThanOrEqual(0);
    expect(fetchIndex).toBeLessThan(buildIndex);
  });

  it('logs in to ECR with the password on stdin', () => {
    expect(runs).toContain('aws ecr get-login-password | docker login --username AWS --password-stdin "$ECR_REGISTRY"');
  });

  it('never runs two builds at once, and summarises what it pushed', () => {
    expect(build.concurrency).toEqual({ group: 'build-push-api', 'cancel-in-progress': false });
    expect(runs).toContain('>>"$GITHUB_STEP_SUMMARY"');
  });
});

describe('Deploy API', () => {
  const deploy = loadWorkflow('deploy-api.yml');
  const deployJob = deploy.jobs.deploy;

  it('runs by hand with an optional image tag, or after a successful image build on main when enabled', () => {
    expect(deploy.on.workflow_dispatch).toEqual({
      inputs: {
        'image-tag': expect.objectContaining({ required: false, default: '', type: 'string' }) as unknown,
      },
    });
    expect(deploy.on.workflow_run).toEqual({
      workflows: ['Build and push API image'],
      types: ['completed'],
      branches: ['main'],
    });
    const gate = deploy.jobs['choose-image']?.if ?? '';
    expect(gate).toContain("vars.AUTO_DEPLOY_API == 'true'");
    expect(gate).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(gate).toContain("github.ref == 'refs/heads/main'");
  });

  it('chooses the seed, sends the deploy through SSM, waits for its verdict, then checks the public address, in that order', () => {
    const order = (deployJob?.steps ?? []).flatMap((step) =>
      ['store-seed-parameter.sh', 'store-db-parameters.sh', 'send-deploy-command.sh', 'wait-for-command.sh', 'smoke-test.sh'].filter((script) =>
        runsScript(step, script),
      ),
    );
    expect(order.slice(0, 5)).toEqual([
      'store-seed-parameter.sh',
      'store-db-parameters.sh',
      'send-deploy-command.sh',
      'wait-for-command.sh',
      'smoke-test.sh',
    ]);
  });

  it('seeds the rock types only unless the repository variable SEED says sample', () => {
    expect(deployJob?.env?.SEED).toBe("${{ vars.SEED || 'reference' }}");
    expect(stepRunning(deploy, 'store-seed-parameter.sh').step.run).toBe(
      'bash scripts/deploy/store-seed-parameter.sh --prefix "$PARAMETER_PREFIX" --seed "$SEED"',
    );
  });

  it("stores the database's GitHub secrets only for a host built by hand: the stack's host reads Secrets Manager", () => {
    expect(stepRunning(deploy, 'store-db-parameters.sh').step.if).toBe("vars.DEPLOY_DOCUMENT == ''");
  });

  it("gives the SSM command no secret: the stack's document and the image, or the workshop's instance and settings", () => {
    const send = stepRunning(deploy, 'send-deploy-command.sh');
    expect(send.step.env).toBeUndefined();
    expect(send.step.run).toContain('--document "$DEPLOY_DOCUMENT"');
    expect(send.step.run).toContain('--output-log-group "$DEPLOY_LOG_GROUP"');
    expect(deployJob?.env).toEqual({
      IMAGE: '${{ needs.choose-image.outputs.image }}',
      DEPLOY_REGION: '${{ vars.AWS_REGION }}',
      DEPLOY_DOCUMENT: '${{ vars.DEPLOY_DOCUMENT }}',
      EC2_INSTANCE_ID: '${{ vars.EC2_INSTANCE_ID }}',
      DEPLOY_LOG_GROUP: '${{ vars.DEPLOY_LOG_GROUP }}',
      PARAMETER_PREFIX: "${{ vars.SSM_PARAMETER_PREFIX || '/rock-of-ages/api/' }}",
      SEED: "${{ vars.SEED || 'reference' }}",
      DB_SSLMODE: "${{ vars.DB_SSLMODE || 'verify-full' }}",
      API_URL: '${{ vars.API_URL }}',
    });
  });

  it('after the instance reports healthy, checks /health and a read-only request through the public address, as deployed', () => {
    const smoke = stepRunning(deploy, 'smoke-test.sh');
    expect(smoke.step.run).toBe('bash scripts/deploy/smoke-test.sh --api-url "$API_URL" --instance "$INSTANCE"');
    expect(smoke.step.env).toEqual({ INSTANCE: '${{ steps.result.outputs.instance }}' });
    expect(smoke.step.if).toBeUndefined();
  });

  it('then runs the contract suite\'s read-only checks through the public address', () => {
    expectReadOnlyContractAfterSmoke(deployJob?.steps ?? []);
  });

  it('rolls back to the previous image when either check fails, and fails the run', () => {
    const rollback = deployJob?.steps.find((step) => step.name?.startsWith('Roll back') === true);
    expect(rollback?.if).toBe("failure() && (steps.smoke.outcome == 'failure' || steps.contract.outcome == 'failure') && steps.result.outputs.previous-image != ''");
    expect(rollback?.env).toEqual({ PREVIOUS_IMAGE: '${{ steps.result.outputs.previous-image }}' });
    expect(rollback?.run).toContain('--image "$PREVIOUS_IMAGE"');
    expect(rollback?.run).toContain('bash scripts/deploy/wait-for-command.sh');
    expect(rollback?.run).toMatch(/echo "::error::/);
  });

  it('requires the public address and one way to reach the host before anything else', () => {
    const check = deploy.jobs['choose-image']?.steps.find((step) => step.name === 'Check the repository variables');
    expect(check?.run).toContain('require-variables.sh OIDC_ROLE_TO_ASSUME AWS_REGION ECR_REGISTRY ECR_REPOSITORY API_URL');
    expect(check?.run).toContain('if [[ -z $DEPLOY_DOCUMENT && -z $EC2_INSTANCE_ID ]]; then');
  });

  it('uses the workshop’s repository variables', () => {
    for (const name of ['OIDC_ROLE_TO_ASSUME', 'AWS_REGION', 'EC2_INSTANCE_ID', 'ECR_REGISTRY', 'ECR_REPOSITORY', 'DEPLOY_DOCUMENT']) {
      expect(deploy.text).toContain(`vars.${name}`);
    }
  });

  it('never overlaps another deploy, and summarises what went where', () => {
    expect(deploy.concurrency).toEqual({ group: 'deploy-api', 'cancel-in-progress': false });
    const summary = deployJob?.steps.find((step) => step.name === 'Summary');
    expect(summary?.if).toBe("always() && steps.send.outputs.command-id != ''");
    expect(summary?.run).toContain('>>"$GITHUB_STEP_SUMMARY"');
  });
});

/** The deploy's second public check: the contract suite, read-only, right after smoke-test.sh and before any rollback. */
function expectReadOnlyContractAfterSmoke(steps: Step[]) {
  const smoke = steps.findIndex((step) => runsScript(step, 'smoke-test.sh'));
  const contract = steps.findIndex((step) => step.id === 'contract');
  const rollback = steps.findIndex((step) => step.name?.startsWith('Roll back') === true);
  expect(steps[contract]?.run).toBe('npm run contract -- --url "$API_URL" --read-only');
  expect(steps.slice(smoke + 1, contract).map((step) => step.run ?? step.uses?.split('@')[0])).toEqual([
    'actions/setup-node',
    'npm ci --workspace contract --include-workspace-root',
  ]);
  expect(smoke >= 0 && smoke < contract && contract < rollback, `${smoke} < ${contract} < ${rollback}`).toBe(true);
}

describe('Deploy API to ECS', () => {
  const deploy = loadWorkflow('deploy-api-ecs.yml');
  const job = deploy.jobs.deploy;
  const steps = job?.steps ?? [];
  const index = (predicate: (step: Step) => boolean) => steps.findIndex(predicate);
  const usesAction = (name: string) => (step: Step) => step.uses?.startsWith(`aws-actions/${name}@`) === true;

  it('runs by hand, or after a successful image build on main when AUTO_DEPLOY_API_ECS is true; never beside another API deploy', () => {
    expect(triggers(deploy)).toEqual(['workflow_dispatch', 'workflow_run']);
    expect(deploy.on.workflow_run).toEqual({ workflows: ['Build and push API image'], types: ['completed'], branches: ['main'] });
    const gate = deploy.jobs['choose-image']?.if ?? '';
    expect(gate).toContain("vars.AUTO_DEPLOY_API_ECS == 'true'");
    expect(gate).toContain("github.ref == 'refs/heads/main'");
    expect(deploy.concurrency).toEqual(loadWorkflow('deploy-api.yml').concurrency);
  });

  it('renders the image into the task family, registers it, migrates with it, then deploys it and waits, checks the revision, then the public address, in that order', () => {
    const order = [
      index(usesAction('amazon-ecs-render-task-definition')),
      index((step) => usesAction('amazon-ecs-deploy-task-definition')(step) && step.with?.service === undefined),
      index((step) => runsScript(step, 'run-migration-task.sh')),
      index((step) => usesAction('amazon-ecs-deploy-task-definition')(step) && step.with?.service !== undefined),
      index((step) => runsScript(step, 'check-ecs-deployment.sh') && step.if === undefined),
      index((step) => runsScript(step, 'smoke-test.sh')),
    ];
    expect(order.every((position) => position >= 0), JSON.stringify(order)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('renders into the container named api of the stack\'s family, and waits for the service to be stable', () => {
    const render = steps.find(usesAction('amazon-ecs-render-task-definition'));
    expect(render?.with).toEqual({
      'task-definition-family': '${{ vars.ECS_TASK_FAMILY }}',
      'container-name': 'api',
      image: '${{ needs.choose-image.outputs.image }}',
    });
    const rollout = steps.find((step) => usesAction('amazon-ecs-deploy-task-definition')(step) && step.with?.service !== undefined);
    expect(rollout?.with).toMatchObject({
      'task-definition': '${{ steps.render.outputs.task-definition }}',
      cluster: '${{ vars.ECS_CLUSTER }}',
      service: '${{ vars.ECS_SERVICE }}',
      'wait-for-service-stability': true,
    });
  });

  it('migrates with the revision it registered and the seed of the repository variable SEED (reference unless sample)', () => {
    const migrate = stepRunning(deploy, 'run-migration-task.sh');
    expect(migrate.step.env).toEqual({ TASK_DEFINITION: '${{ steps.register.outputs.task-definition-arn }}' });
    expect(migrate.step.run).toContain('--task-definition "$TASK_DEFINITION" --seed "$SEED"');
    expect(job?.env?.SEED).toBe("${{ vars.SEED || 'reference' }}");
  });

  it('then runs the contract suite\'s read-only checks through the public address', () => {
    expectReadOnlyContractAfterSmoke(steps);
  });

  it('rolls back to the revision it found when either public check fails, and fails the run', () => {
    const rollback = steps.find((step) => step.name?.startsWith('Roll back') === true);
    expect(rollback?.if).toBe("failure() && (steps.smoke.outcome == 'failure' || steps.contract.outcome == 'failure') && steps.before.outputs.task-definition != ''");
    expect(rollback?.run).toContain('--task-definition "$PREVIOUS"');
    expect(rollback?.run).toMatch(/echo "::error::/);
  });

  it('needs no secret, and deploys the client only after an automatic API deploy', () => {
    expect(deploy.text).not.toMatch(/secrets\./);
    expect(deploy.jobs.client).toMatchObject({ uses: './.github/workflows/deploy-client.yml', needs: ['choose-image', 'deploy'] });
  });
});

describe('Deploy client', () => {
  const deploy = loadWorkflow('deploy-client.yml');
  const job = deploy.jobs.deploy;
  const runs = (job?.steps ?? []).flatMap((step) => (step.run === undefined ? [] : [step.run]));

  it('runs by hand, or when Deploy API calls it, never straight after CI', () => {
    expect(triggers(deploy)).toEqual(['workflow_call', 'workflow_dispatch']);
    expect(deploy.on.workflow_call).toEqual({
      inputs: { commit: expect.objectContaining({ required: true, type: 'string' }) as unknown },
    });
    expect(deploy.jobs.check?.if).toContain("inputs.commit != ''");
    expect(deploy.text).not.toContain('workflow_run');
  });

  it('goes live only after a successful automatic API deploy, with the commit whose API went live', () => {
    const api = loadWorkflow('deploy-api.yml');
    const client = api.jobs.client;
    expect(client?.uses).toBe('./.github/workflows/deploy-client.yml');
    expect(client?.needs).toEqual(['choose-image', 'deploy']);
    expect(client?.if).toBe("github.event_name == 'workflow_run' && vars.AUTO_DEPLOY_CLIENT == 'true'");
    expect(client?.with).toEqual({ commit: '${{ needs.choose-image.outputs.commit }}' });
    expect(api.jobs['choose-image']?.outputs).toMatchObject({ commit: '${{ steps.image.outputs.commit }}' });
    const newest = deploy.jobs.check?.steps.find((step) => step.id === 'newest');
    expect(newest?.env?.COMMIT_SHA).toBe('${{ inputs.commit || github.sha }}');
  });

  it('builds once, writes config.json from CLIENT_API_URL and publishes to S3, CloudFront when configured', () => {
    expect(job?.env).toMatchObject({
      CLIENT_API_URL: '${{ vars.CLIENT_API_URL }}',
      CLIENT_S3_BUCKET: '${{ vars.CLIENT_S3_BUCKET }}',
      CLOUDFRONT_DISTRIBUTION_ID: '${{ vars.CLOUDFRONT_DISTRIBUTION_ID }}',
    });
    const build = runs.findIndex((run) => run.includes('npm run build --workspace client'));
    const writeConfig = runs.findIndex((run) => run.includes('API_URL="$CLIENT_API_URL" sh client/scripts/write-config.sh client/dist'));
    const publish = runs.findIndex((run) => run.includes('scripts/deploy/publish-client.sh'));
    expect(build).toBeGreaterThanOrEqual(0);
    expect(writeConfig).toBe(build);
    expect(publish).toBeGreaterThan(build);
    expect(job?.env).not.toHaveProperty('VITE_API_URL');
  });

  it('never overlaps another client deploy, and summarises it', () => {
    expect(deploy.concurrency).toEqual({ group: 'deploy-client', 'cancel-in-progress': false });
    expect(runs.join('\n')).toContain('>>"$GITHUB_STEP_SUMMARY"');
  });
});

describe('Dependabot', () => {
  const config = parse(readFileSync(path.join(repositoryRoot, '.github', 'dependabot.yml'), 'utf8')) as {
    version: number;
    updates: { 'package-ecosystem': string; directory?: string; directories?: string[]; schedule: { interval: string } }[];
  };
  const ecosystem = (name: string) => config.updates.find((update) => update['package-ecosystem'] === name);

  it('keeps the pinned actions, the npm packages and the Dockerfiles current, every week', () => {
    expect(config.version).toBe(2);
    expect(config.updates.map((update) => update['package-ecosystem']).sort()).toEqual(['docker', 'github-actions', 'npm']);
    for (const update of config.updates) expect(update.schedule.interval).toBe('weekly');
    expect(ecosystem('github-actions')?.directory).toBe('/');
  });

  it('looks where the lock file and the Dockerfiles are', () => {
    expect(readFileSync(path.join(repositoryRoot, ecosystem('npm')?.directory ?? '', 'package-lock.json'), 'utf8')).toContain('"lockfileVersion"');
    const dockerDirectories = ecosystem('docker')?.directories ?? [];
    expect(dockerDirectories.length).toBeGreaterThan(0);
    for (const directory of dockerDirectories) {
      expect(readFileSync(path.join(repositoryRoot, directory, 'Dockerfile'), 'utf8'), directory).toMatch(/^FROM /m);
    }
  });
});
