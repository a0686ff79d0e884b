import { PindaiError } from '../../core/errors.ts';
import { type Lang, type MessageKey, t } from '../../core/messages.ts';

type Params = Record<string, string | number>;

/**
 * A catalogue export Pindai will not import, and why, in the message catalogue's words: `code` is
 * the sentence, `detail` (when given) a sentence of its own placed in its `{detail}`. Always names
 * the record (1-based, in file order) where one is at fault; nothing of the file is imported.
 */
export class CatalogFileError extends PindaiError {
  readonly detail: { key: MessageKey; params: Params } | null;

  constructor(code: MessageKey, params: Params, detail: { key: MessageKey; params?: Params } | null = null) {
    const d = detail ? { key: detail.key, params: detail.params ?? {} } : null;
    super(code, render('id', code, params, d), { params });
    this.name = 'CatalogFileError';
    this.detail = d;
  }

  /** The reason in `lang`. */
  text(lang: Lang): string {
    return render(lang, this.code as MessageKey, this.params, this.detail);
  }
}

function render(
  lang: Lang,
  code: MessageKey,
  params: Params,
  detail: { key: MessageKey; params: Params } | null,
) {
  return t(lang, code, detail ? { ...params, detail: t(lang, detail.key, detail.params) } : params);
}
