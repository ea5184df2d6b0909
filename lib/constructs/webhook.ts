import { CfnOutput, Validations } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { FunctionUrlAuthType, type FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { runtimeFunction } from './runtime-function';
import { GITHUB_API_URL } from '../runtime/github-context';
import { GITHUB_API_URL_CONTEXT, githubApiUrl } from '../model/project-context';
import { contextValue } from './context-value';

/**
 * GitHub pushes in: a function URL that verifies `X-Hub-Signature-256` against a secret in
 * Secrets Manager and puts verified pushes on a bus of their own; the router (one rule per
 * workflow) applies each workflow's filters and starts at most one execution per delivery.
 */
/** cdk.json context: GitHub's API root for the router (GitHub Enterprise: `https://<host>/api/v3`). */
export { GITHUB_API_URL_CONTEXT } from '../model/project-context';

export class GitHubWebhook extends Construct {
  readonly bus: EventBus;
  readonly secret: Secret;
  readonly receiver: NodejsFunction;
  readonly router: NodejsFunction;
  readonly url: FunctionUrl;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { description: 'stepdeploy: verified GitHub pushes' });
    this.secret = new Secret(this, 'Secret', {
      description: 'stepdeploy: the GitHub webhook secret (paste it into the repository’s webhook settings)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'A GitHub webhook secret is set by hand in the repository settings; automatic rotation would break deliveries.',
    });
    this.receiver = runtimeFunction(this, 'Receiver', {
      handler: 'webhook',
      description: 'stepdeploy: verifies GitHub webhook signatures and forwards pushes',
      environment: { WEBHOOK_SECRET_ARN: this.secret.secretArn, EVENT_BUS_NAME: this.bus.eventBusName },
    });
    this.secret.grantRead(this.receiver);
    this.bus.grantPutEventsTo(this.receiver);
    // GitHub cannot sign with SigV4: the handler authenticates every request by its HMAC signature.
    this.url = this.receiver.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    this.router = runtimeFunction(this, 'Router', {
      handler: 'router',
      description: 'stepdeploy: applies push filters and starts one execution per delivery',
      // The workflow_run relay puts events here (lib/constructs/workflow-run-relays.ts grants it then).
      // GitHub's API (pull request path filters): cdk.json `stepdeploy:githubApiUrl` for GitHub Enterprise.
      environment: { EVENT_BUS_NAME: this.bus.eventBusName, GITHUB_API_URL: contextValue(this, GITHUB_API_URL_CONTEXT, githubApiUrl) ?? GITHUB_API_URL },
    });
    new CfnOutput(this, 'WebhookUrl', { value: this.url.url, description: 'Payload URL for the GitHub webhook (content type application/json)' });
    new CfnOutput(this, 'WebhookSecretArn', { value: this.secret.secretArn, description: 'Read the webhook secret from here' });
  }
}
