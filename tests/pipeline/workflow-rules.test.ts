import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './support/sandbox.js';
import type { Job, LocatedStep, Step, Workflow } from './support/workflows.js';
import { allSteps, describeStep, loadWorkflow, loadWorkflows } from './support/workflows.js';

const workflows = loadWorkflows();
const steps = allSteps(workflows);
const DB_SECRET_NAMES = ['DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_HOST', 'DB_PORT'];
const AWS_CREDENTIALS_ACTION = /^aws-actions\/configure-aws-credentials@/;

const usesAws = (job: Job) => job.steps.some((step) => AWS_CREDENTIALS_ACTION.test(step.uses ?? ''));
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
  it('exists: CI, image build, API deploy, client deploy', () => {
    expect(workflows.map((workflow) => workflow.file)).toEqual([
      'build-push.yml',
      'ci.yml',
      'deploy-api.yml',
      'deploy-client.yml',
    ]);
  });

  it('pins every action to a major version tag', () => {
    const uses = steps.flatMap((located) => (located.step.uses === undefined ? [] : [located.step.uses]));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
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
    expect(awsSteps.length).toBe(3);
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
        expect(job['timeout-minutes'], `${workflow.file} › ${id}`).toBeGreaterThan(0);
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

  it('stores the settings, sends the script through SSM, then waits for its verdict, in that order', () => {
    const order = (deployJob?.steps ?? []).flatMap((step) =>
      ['store-db-parameters.sh', 'send-deploy-command.sh', 'wait-for-command.sh'].filter((script) =>
        runsScript(step, script),
      ),
    );
    expect(order).toEqual(['store-db-parameters.sh', 'send-deploy-command.sh', 'wait-for-command.sh']);
  });

  it('gives the SSM command no secret: only the image, region, instance, parameter prefix and sslmode', () => {
    const send = stepRunning(deploy, 'send-deploy-command.sh');
    expect(send.step.env).toBeUndefined();
    expect(deployJob?.env).toEqual({
      IMAGE: '${{ needs.choose-image.outputs.image }}',
      EC2_INSTANCE_ID: '${{ vars.EC2_INSTANCE_ID }}',
      DEPLOY_REGION: '${{ vars.AWS_REGION }}',
      PARAMETER_PREFIX: "${{ vars.SSM_PARAMETER_PREFIX || '/rock-of-ages/api/' }}",
      DB_SSLMODE: "${{ vars.DB_SSLMODE || 'verify-full' }}",
    });
  });

  it('uses the workshop’s repository variables', () => {
    for (const name of ['OIDC_ROLE_TO_ASSUME', 'AWS_REGION', 'EC2_INSTANCE_ID', 'ECR_REGISTRY', 'ECR_REPOSITORY']) {
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

describe('Deploy client', () => {
  const deploy = loadWorkflow('deploy-client.yml');
  const job = deploy.jobs.deploy;
  const runs = (job?.steps ?? []).flatMap((step) => (step.run === undefined ? [] : [step.run]));

  it('runs by hand, or after CI passes on main when enabled', () => {
    expect(triggers(deploy)).toEqual(['workflow_dispatch', 'workflow_run']);
    expect(deploy.jobs.check?.if).toContain("vars.AUTO_DEPLOY_CLIENT == 'true'");
  });

  it('builds with VITE_API_URL from a repository variable and publishes to S3, CloudFront when configured', () => {
    expect(job?.env).toMatchObject({
      VITE_API_URL: '${{ vars.VITE_API_URL }}',
      CLIENT_S3_BUCKET: '${{ vars.CLIENT_S3_BUCKET }}',
      CLOUDFRONT_DISTRIBUTION_ID: '${{ vars.CLOUDFRONT_DISTRIBUTION_ID }}',
    });
    const build = runs.findIndex((run) => run.includes('npm run build --workspace client'));
    const publish = runs.findIndex((run) => run.includes('scripts/deploy/publish-client.sh'));
    expect(build).toBeGreaterThanOrEqual(0);
    expect(publish).toBeGreaterThan(build);
  });

  it('never overlaps another client deploy, and summarises it', () => {
    expect(deploy.concurrency).toEqual({ group: 'deploy-client', 'cancel-in-progress': false });
    expect(runs.join('\n')).toContain('>>"$GITHUB_STEP_SUMMARY"');
  });
});
