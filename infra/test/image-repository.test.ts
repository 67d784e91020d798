import { describe, expect, it } from 'vitest';
import { onlyResource, templateOf } from './support/templates.js';

const repositoryOf = (configuration: 'defaults' | 'customized') =>
  onlyResource(templateOf(configuration), 'AWS::ECR::Repository');

const lifecycleRulesOf = (repository: ReturnType<typeof repositoryOf>) =>
  JSON.parse((repository.properties.LifecyclePolicy as { LifecyclePolicyText: string }).LifecyclePolicyText) as {
    rules: unknown[];
  };

describe('the ECR repository', () => {
  it('is named rock-of-ages-api, scans pushed images, and lets the pipeline move the latest tag', () => {
    expect(repositoryOf('defaults').properties).toMatchObject({
      RepositoryName: 'rock-of-ages-api',
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'MUTABLE',
    });
  });

  it('keeps the newest 10 images and expires the rest', () => {
    expect(lifecycleRulesOf(repositoryOf('defaults')).rules).toEqual([
      {
        rulePriority: 1,
        description: 'Keep the newest 10 images',
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 },
        action: { type: 'expire' },
      },
    ]);
  });

  it('is kept with its images when the stack is deleted', () => {
    expect(repositoryOf('defaults')).toMatchObject({ deletionPolicy: 'Retain', properties: { EmptyOnDelete: false } });
  });

  it('takes the configured name and number of images to keep', () => {
    const repository = repositoryOf('customized');
    expect(repository.properties.RepositoryName).toBe('team/rocks-api');
    expect(lifecycleRulesOf(repository).rules).toMatchObject([{ selection: { countNumber: 5 } }]);
  });

  it('with devDeleteDataOnDestroy, is emptied and deleted with the stack', () => {
    expect(repositoryOf('customized')).toMatchObject({ deletionPolicy: 'Delete', properties: { EmptyOnDelete: true } });
  });
});
