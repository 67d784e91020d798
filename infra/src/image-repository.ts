import { RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';

export interface ImageRepositoryProps {
  readonly repositoryName: string;
  /** How many of the newest images to keep; older ones expire. */
  readonly imagesToKeep: number;
  /** Delete the repository and its images with the stack instead of keeping them. */
  readonly deleteDataOnDestroy: boolean;
}

/** The ECR repository the pipeline pushes the API image to and the API host pulls it from. */
export class ImageRepository extends Construct {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      // The pipeline moves the `latest` tag to each new build.
      imageTagMutability: ecr.TagMutability.MUTABLE,
      imageScanOnPush: true,
      lifecycleRules: [
        { description: `Keep the newest ${props.imagesToKeep} images`, maxImageCount: props.imagesToKeep },
      ],
      removalPolicy: props.deleteDataOnDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      emptyOnDelete: props.deleteDataOnDestroy,
    });
  }
}
