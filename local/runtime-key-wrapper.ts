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
   * and says in an error line when case keys are wrapped by a master key this runtime does not hold.
   */
  ready(services: Pick<Services, 'caseKeys'>, logger: Logger): Promise<void>;
}

/**
 * What wraps the case keys of `npm start`: KMS or `LEDGER_MASTER_KEY` when configured; else the data
 * directory's own master keys, kept outside it and replaced on each erasure; else, in memory, keys for this
 * run only.
 */
export async function runtimeKeyWrapper(config: LocalConfig): Promise<RuntimeKeyWrapper> {
  if (config.keyWrapping.mode === 'kms') {
    return { wrapper: keyWrapperFrom(config.keyWrapping, config.dynamodb.region), ready: async () => {} };
  }
  if (config.keyWrapping.masterKey !== undefined) {
    const wrapper = keyWrapperFrom(config.keyWrapping, config.dynamodb.region);
    const advice = 'Is LEDGER_MASTER_KEY the key these case keys were made with?';
    return { wrapper, ready: (services, logger) => reportLostMasterKeys(services, wrapper, advice, logger) };
  }
  if (config.masterKeysHome === undefined || config.dataDir === undefined) {
    const wrapper = new LocalKeyWrapper(memoryKeyRing());
    return { wrapper, ready: async (services) => void (await services.caseKeys.finishRotation()) };
  }
  const keyDir = await masterKeyDirOf(config.masterKeysHome, config.dataDir);
  const ring = await openMasterKeyRing({ keyDir, dataDir: config.dataDir });
  const wrapper = new LocalKeyWrapper(ring);
  const advice =
    `The master keys were looked for in ${keyDir}. If this data directory came from another machine or ` +
    'user, stop, and copy its master-key folder there (the folder whose data-dir.txt names it) before ' +
    'starting again.';
  return {
    wrapper,
    async ready(services, logger) {
      await services.caseKeys.finishRotation();
      await reportLostMasterKeys(services, wrapper, advice, logger);
    },
  };
}

/**
 * Case keys wrapped by a local master key this runtime does not hold (a lost or wrong master key, a key item
 * copied back from before a rotation): their subjects read [erased], which must not go unsaid. Keys wrapped
 * before master keys had ids (`wrappedBy: local`) cannot be told apart without unwrapping, and are not counted.
 */
async function reportLostMasterKeys(
  services: Pick<Services, 'caseKeys'>,
  wrapper: KeyWrapper,
  advice: string,
  logger: Logger,
): Promise<void> {
  let lost = 0;
  for await (const key of services.caseKeys.wrappedKeys()) {
    if (key.wrappedBy.startsWith('local:') && key.wrappedBy !== wrapper.wrappedBy) lost += 1;
  }
  if (lost === 0) return;
  const which = lost === 1 ? 'A case key of this ledger is' : `${lost} case keys of this ledger are`;
  logger({
    level: 'error',
    message: `${which} wrapped by a master key this runtime does not hold: their subjects read [erased]. ${advice}`,
  });
}
