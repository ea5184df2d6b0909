// Where a runner's workspace comes from in AWS (lib/runtime/run-source.ts says which, per run):
// - a commit of the GitHub repository connected through CodeConnections: the runner project's
//   source, when cdk.json names the connection and the repository (SourceVersion = the commit);
// - a snapshot of a working tree that `stepdeploy start` uploaded to the runtime's bucket.

import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnProject, Project } from 'aws-cdk-lib/aws-codebuild';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { connectedRepository, CONNECTION_CONTEXT, REPOSITORY_CONTEXT, type ConnectedRepository } from '../model/project-context';
import { contextValue } from './context-value';

export { CONNECTION_CONTEXT, REPOSITORY_CONTEXT, type ConnectedRepository } from '../model/project-context';
/** The state machine tag naming the snapshot bucket: how `stepdeploy start` finds it. */
export const SNAPSHOT_BUCKET_TAG = 'stepdeploy:snapshot-bucket';
/** Where `stepdeploy start` puts working-tree snapshots in the bucket. */
export const SNAPSHOT_PREFIX = 'snapshots/';

/** The connection and repository from cdk.json context, both or neither; a malformed value throws naming the key. */
export function connectedRepositoryFromContext(scope: Construct): ConnectedRepository | undefined {
  const url: unknown = scope.node.tryGetContext(REPOSITORY_CONTEXT);
  return contextValue(scope, CONNECTION_CONTEXT, (arn) => connectedRepository(arn, url));
}

export interface RunnerSourceProps {
  readonly project: Project;
  readonly repository?: ConnectedRepository;
}

export class RunnerSource extends Construct {
  /** Working-tree snapshots (`stepdeploy start`); versioned, so a run names the exact upload. */
  readonly bucket: Bucket;
  readonly repository?: ConnectedRepository;

  constructor(scope: Construct, id: string, { project, repository }: RunnerSourceProps) {
    super(scope, id);
    this.repository = repository;
    this.bucket = new Bucket(this, 'Snapshots', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ prefix: SNAPSHOT_PREFIX, expiration: Duration.days(30), noncurrentVersionExpiration: Duration.days(1) }],
    });
    // CodeBuild downloads the exact snapshot version a run names (the start runner's S3 source,
    // lib/asl/runner-source-seams.ts) with the project's role: objects under the prefix only, and
    // the bucket's region and owner, which CodeBuild checks for an S3 source.
    project.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [this.bucket.arnForObjects(`${SNAPSHOT_PREFIX}*`)] }));
    project.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetBucketAcl', 's3:GetBucketLocation'], resources: [this.bucket.bucketArn] }));
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    Validations.of(project.role!).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${SNAPSHOT_PREFIX}*]`,
      reason: 'Snapshots are named per upload (content hash); a runner may read any snapshot of this bucket, only under its prefix.',
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason: 'The bucket holds short-lived build inputs uploaded by stepdeploy start; object access is auditable through CloudTrail data events, no access-log bucket is created for it.',
    });

    if (repository === undefined) return;
    const cfn = project.node.defaultChild as CfnProject;
    const buildSpec = (cfn.source as CfnProject.SourceProperty).buildSpec;
    cfn.source = {
      type: 'GITHUB',
      location: `${repository.url}.git`,
      auth: { type: 'CODECONNECTIONS', resource: repository.connectionArn },
      gitCloneDepth: 1,
      ...(buildSpec !== undefined && { buildSpec }),
    };
    // CodeBuild fetches the source with the build's role: it must be allowed to use the connection.
    const partitionArns = [repository.connectionArn, repository.connectionArn.replace(':codeconnections:', ':codestar-connections:')];
    project.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'codeconnections:UseConnection',
          'codeconnections:GetConnection',
          'codeconnections:GetConnectionToken',
          'codestar-connections:UseConnection',
          'codestar-connections:GetConnection',
          'codestar-connections:GetConnectionToken',
        ],
        resources: [...new Set(partitionArns)],
      }),
    );
  }
}
