// The licence clock for one run: Connect's config topic from the profile or the manifests' KafkaConnect.
import type { Profile } from '../config/types.ts';
import { threshold } from '../context.ts';
import { loadManifestSet } from '../model/manifest-set.ts';
import { errorOutcome } from '../services/outcome.ts';
import type { Outcome } from '../suite.ts';
import { gatherLicence, type LicenceFacts } from './facts.ts';
import { licenceVerdicts } from './verdicts.ts';

/** The worker's config.storage.topic: the profile's connect.config_topic, else the manifests' KafkaConnect. */
export function configTopicOf(profile: Profile): { topic?: string; source: string } {
  if (profile.connect.config_topic) return { topic: profile.connect.config_topic, source: 'profile connect.config_topic' };
  try {
    const set = loadManifestSet(profile.manifests);
    for (const o of set.objects) {
      const t = o.object.kind === 'KafkaConnect' ? o.object.spec?.config?.['config.storage.topic'] : undefined;
      if (typeof t === 'string' && t) return { topic: t, source: `config.storage.topic of ${o.ref} (${o.file}:${o.lineAt(['spec', 'config', 'config.storage.topic'])})` };
    }
  } catch {
    // unreadable manifests are other checks' findings; here the topic is just unknown
  }
  return { source: `neither the profile (connect.config_topic) nor a KafkaConnect in ${profile.manifests} names Connect's config topic` };
}

export async function runLicence(profile: Profile): Promise<{ facts?: LicenceFacts; outcomes: Outcome[] }> {
  const { topic, source } = configTopicOf(profile);
  try {
    const facts = await gatherLicence({ connectUrl: profile.connect.url, bootstrap: profile.kafka.ldf.bootstrap, configTopic: topic, configTopicSource: source, timeoutMs: profile.timeout_ms });
    const outcomes = licenceVerdicts(facts, {
      warnDays: threshold<number>('services.connect.licence', 'warn_days'),
      trialDays: threshold<number>('services.connect.licence', 'trial_days'),
    });
    return { facts, outcomes };
  } catch (e) {
    return { outcomes: [errorOutcome(e, 'connect', 'the connectors could not be listed')] };
  }
}
