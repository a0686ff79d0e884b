import type { Translator } from '../../../core/messages.ts';

/** A labelled select of a list filter; the empty first option means "all". */
export function FilterSelect(props: {
  tr: Translator;
  label: string;
  name: string;
  value: string | undefined;
  options: { value: string; label: string }[];
}) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        <option value="">{props.tr('st_all')}</option>
        {props.options.map((o) => (
          <option value={o.value} selected={props.value === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The from/to date inputs every list filter shares. */
export function DateRangeFields(props: { tr: Translator; from: string | undefined; to: string | undefined }) {
  return (
    <>
      <label>
        {props.tr('st_inv_from')}
        <input type="date" name="from" value={props.from ?? ''} />
      </label>
      <label>
        {props.tr('st_inv_to')}
        <input type="date" name="to" value={props.to ?? ''} />
      </label>
    </>
  );
}
