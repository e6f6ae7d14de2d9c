import type { KeyWrapper } from '../functions/personal-data/key-wrapper.ts';
import { keyWrapperFrom } from '../functions/personal-data/key-wrapper-from-config.ts';
import { LocalKeyWrapper } from '../functions/personal-data/local-key-wrapper.ts';
import { memoryKeyRing } from '../functions/personal-data/master-key-ring.ts';
import type { Services } from '../functions/services.ts';
import type { Logger } from './json-lines-logger.ts';
import type { LocalConfig } from './local-config.ts';
import { masterKeyDirOf, openMasterKeyRing } from './master-key-file.ts';

export interface RuntimeKeyWrapper {
  readonly wrapper: KeyWrapper;
  /**
   * Run once the stores are up, before the first request: finishes a master-key rotation a crash interrupted,
   * and says in an error line when this start had to make a first master key beside case keys wrapped by others.
   */
  ready(services: Pick<Services, 'caseKeys'>, logger: Logger): Promise<void>;
}

/**
 * What wraps the case keys of `npm start`: KMS or `LEDGER_MASTER_KEY` when configured; else the data
 * directory's own master keys, kept outside it and replaced on each erasure; else, in memory, keys for this
 * run only.
 */
export async function runtimeKeyWrapper(config: LocalConfig): Promise<RuntimeKeyWrapper> {
  if (config.keyWrapping.mode === 'kms' || config.keyWrapping.masterKey !== undefined) {
    return { wrapper: keyWrapperFrom(config.keyWrapping, config.dynamodb.region), ready: async () => {} };
  }
  if (config.masterKeysHome === undefined || config.dataDir === undefined) {
    const wrapper = new LocalKeyWrapper(memoryKeyRing());
    return { wrapper, ready: async (services) => void (await services.caseKeys.finishRotation()) };
  }
  const keyDir = await masterKeyDirOf(config.masterKeysHome, config.dataDir);
  const ring = await openMasterKeyRing({ keyDir, dataDir: config.dataDir });
  const wrapper = new LocalKeyWrapper(ring);
  return {
    wrapper,
    async ready(services, logger) {
      await services.caseKeys.finishRotation();
      if (ring.created) await reportLostMasterKeys(services, wrapper, keyDir, logger);
    },
  };
}

/** A master key made now, beside case keys made before: the keys that opened them are not where they belong. */
async function reportLostMasterKeys(
  services: Pick<Services, 'caseKeys'>,
  wrapper: KeyWrapper,
  keyDir: string,
  logger: Logger,
): Promise<void> {
  let lost = 0;
  for await (const key of services.caseKeys.wrappedKeys()) if (key.wrappedBy !== wrapper.wrappedBy) lost += 1;
  if (lost === 0) return;
  const which =
    lost === 1 ? 'A case key of this data directory was' : `${lost} case keys of this data directory were`;
  logger({
    level: 'error',
    message:
      `${which} wrapped by master keys that are not in ${keyDir}: their subjects read [erased]. If this data ` +
      'directory came from another machine or user, stop, and copy its master-key folder there (the folder ' +
      'whose data-dir.txt names it) before starting again.',
  });
}
