import { CliError } from '../errors.js';

/** Commander argument parsers that turn bad input into CliError (exit 2) naming the option. */
export function integerOption(name: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new CliError('BAD_ARGUMENT', `${name} must be an integer from ${min} to ${max} (got "${text}")`);
    }
    return value;
  };
}

export function bigintOption(name: string, min: bigint): (text: string) => bigint {
  return (text) => {
    if (!/^-?\d+$/.test(text) || BigInt(text) < min) throw new CliError('BAD_ARGUMENT', `${name} must be an integer ≥ ${min} (got "${text}")`);
    return BigInt(text);
  };
}

export function choiceOption<T extends string>(name: string, choices: readonly T[]): (text: string) => T {
  return (text) => {
    const upper = choices.find((choice) => choice.toLowerCase() === text.toLowerCase());
    if (upper === undefined) throw new CliError('BAD_ARGUMENT', `${name} must be one of ${choices.join(', ')} (got "${text}")`);
    return upper;
  };
}

export const PORT = integerOption('port', 1, 65535);
