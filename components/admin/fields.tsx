'use client'

import { Checkboxes, CheckboxesItem, Select, SelectOption, Textarea, TextInput } from 'nhsuk-react-components'
import { useFieldError } from './api-form'

/** Form fields that show the error the API gave for their name. */
export function Field(props: { name: string; label: string; hint?: string; defaultValue?: string | number; type?: string; width?: 2 | 3 | 4 | 5 | 10 | 20 | 30; autoComplete?: string; inputMode?: 'numeric' | 'text' | 'url' | 'email' }) {
  const error = useFieldError(props.name)
  return (
    <TextInput
      id={props.name}
      name={props.name}
      label={props.label}
      hint={props.hint}
      error={error}
      defaultValue={props.defaultValue}
      type={props.type ?? 'text'}
      width={props.width}
      autoComplete={props.autoComplete ?? 'off'}
      inputMode={props.inputMode}
      spellCheck={false}
    />
  )
}

export function LinesField(props: { name: string; label: string; hint?: string; defaultValue?: string[] }) {
  const error = useFieldError(props.name)
  return <Textarea id={props.name} name={props.name} label={props.label} hint={props.hint} error={error} defaultValue={props.defaultValue?.join('\n')} rows={3} spellCheck={false} />
}

export function CheckboxGroup(props: { name: string; legend: string; hint?: string; options: { value: string; label: string }[]; defaultValues?: string[]; small?: boolean }) {
  const error = useFieldError(props.name)
  return (
    <Checkboxes id={props.name} name={props.name} legend={props.legend} hint={props.hint} error={error} small={props.small}>
      {props.options.map((o) => (
        <CheckboxesItem key={o.value} value={o.value} defaultChecked={props.defaultValues?.includes(o.value)}>
          {o.label}
        </CheckboxesItem>
      ))}
    </Checkboxes>
  )
}

export function SelectField(props: { name: string; label: string; options: { value: string; label: string }[]; defaultValue?: string }) {
  const error = useFieldError(props.name)
  return (
    <Select id={props.name} name={props.name} label={props.label} error={error} defaultValue={props.defaultValue}>
      {props.options.map((o) => (
        <SelectOption key={o.value} value={o.value}>
          {o.label}
        </SelectOption>
      ))}
    </Select>
  )
}
