/**
 * The `cloud_resource` context, recognised from the environment variables hosting platforms set.
 * Values follow OpenTelemetry's `cloud.*` semantic conventions.
 */

type Env = Record<string, string | undefined>;
export type CloudResourceContext = Partial<
  Record<'cloud.provider' | 'cloud.platform' | 'cloud.region' | 'cloud.account.id', string>
>;

interface CloudDetector {
  provider: string;
  detects(env: Env): boolean;
  platform?(env: Env): string | undefined;
  region?(env: Env): string | undefined;
  accountId?(env: Env): string | undefined;
}

/** Checked in order: the most specific platforms first, since some also set generic variables. */
const DETECTORS: CloudDetector[] = [
  {
    provider: 'vercel',
    detects: (env) => Boolean(env.VERCEL),
    region: (env) => env.VERCEL_REGION,
  },
  {
    provider: 'aws',
    detects: (env) => Boolean(env.AWS_LAMBDA_FUNCTION_NAME || env.AWS_REGION || env.AWS_EXECUTION_ENV),
    platform: (env) => {
      if (env.AWS_LAMBDA_FUNCTION_NAME) return 'aws_lambda';
      if (env.ECS_CONTAINER_METADATA_URI_V4 || env.ECS_CONTAINER_METADATA_URI) return 'aws_ecs';
      if (env.AWS_EXECUTION_ENV?.startsWith('AWS_ECS')) return 'aws_ecs';
      return undefined;
    },
    region: (env) => env.AWS_REGION || env.AWS_DEFAULT_REGION,
  },
  {
    provider: 'gcp',
    detects: (env) =>
      Boolean(
        env.K_SERVICE ||
          env.FUNCTION_TARGET ||
          env.GAE_SERVICE ||
          env.GOOGLE_CLOUD_PROJECT ||
          env.GCP_PROJECT,
      ),
    platform: (env) => {
      if (env.FUNCTION_TARGET) return 'gcp_cloud_functions';
      if (env.K_SERVICE) return 'gcp_cloud_run';
      if (env.GAE_SERVICE) return 'gcp_app_engine';
      return undefined;
    },
    accountId: (env) => env.GOOGLE_CLOUD_PROJECT || env.GCP_PROJECT,
  },
  {
    provider: 'azure',
    detects: (env) => Boolean(env.WEBSITE_SITE_NAME || env.FUNCTIONS_WORKER_RUNTIME),
    platform: (env) => (env.FUNCTIONS_WORKER_RUNTIME ? 'azure_functions' : 'azure_app_service'),
    region: (env) => env.REGION_NAME,
  },
  { provider: 'fly.io', detects: (env) => Boolean(env.FLY_REGION), region: (env) => env.FLY_REGION },
  { provider: 'render', detects: (env) => Boolean(env.RENDER) },
  {
    provider: 'railway',
    detects: (env) => Boolean(env.RAILWAY_ENVIRONMENT || env.RAILWAY_ENVIRONMENT_NAME),
    region: (env) => env.RAILWAY_REPLICA_REGION,
  },
  { provider: 'netlify', detects: (env) => Boolean(env.NETLIFY) },
  { provider: 'heroku', detects: (env) => Boolean(env.DYNO) },
];

/** The hosting platform's `cloud_resource` context, or undefined when none is recognised. */
export function detectCloudResource(env: Env = process.env): CloudResourceContext | undefined {
  const detector = DETECTORS.find((candidate) => candidate.detects(env));
  if (!detector) return undefined;
  const context: CloudResourceContext = { 'cloud.provider': detector.provider };
  const platform = detector.platform?.(env);
  const region = detector.region?.(env);
  const accountId = detector.accountId?.(env);
  if (platform) context['cloud.platform'] = platform;
  if (region) context['cloud.region'] = region;
  if (accountId) context['cloud.account.id'] = accountId;
  return context;
}
