import {
  type PropertyDefinition,
  type PropertyGroupDefinition,
  type PropertyOption,
  type PropertyType,
  seedProperties,
} from './default-properties.js';
import { errorBody, notFoundError, SimHttpError, validationError } from './errors.js';
import { OBJECT_TYPES, type SimObjectType } from './object-types.js';

export const MAX_UNIQUE_PROPERTIES = 10;

const TYPES: readonly PropertyType[] = [
  'bool',
  'date',
  'datetime',
  'enumeration',
  'number',
  'phone_number',
  'string',
];
const FIELD_TYPES = [
  'booleancheckbox',
  'calculation_equation',
  'checkbox',
  'date',
  'file',
  'html',
  'number',
  'phonenumber',
  'radio',
  'select',
  'text',
  'textarea',
];

export interface PropertyCreateInput {
  name?: string | undefined;
  label?: string | undefined;
  type?: string | undefined;
  fieldType?: string | undefined;
  groupName?: string | undefined;
  description?: string | undefined;
  options?:
    | { label: string; value: string; hidden?: boolean; displayOrder?: number; description?: string }[]
    | undefined;
  hasUniqueValue?: boolean | undefined;
  hidden?: boolean | undefined;
  formField?: boolean | undefined;
  displayOrder?: number | undefined;
}

function toOptions(input: NonNullable<PropertyCreateInput['options']>): PropertyOption[] {
  return input.map((o, i) => ({
    label: o.label,
    value: o.value,
    hidden: o.hidden ?? false,
    displayOrder: o.displayOrder ?? i,
    ...(o.description !== undefined ? { description: o.description } : {}),
  }));
}

/** Property definitions and groups per object type, seeded with HubSpot's defaults. */
export class PropertyStore {
  readonly #props = new Map<SimObjectType, Map<string, PropertyDefinition>>();
  readonly #groups = new Map<SimObjectType, Map<string, PropertyGroupDefinition>>();

  constructor() {
    this.reset();
  }

  reset(): void {
    for (const type of OBJECT_TYPES) {
      const seed = seedProperties(type);
      this.#props.set(type, new Map(seed.properties.map((p) => [p.name, p])));
      this.#groups.set(type, new Map(seed.groups.map((g) => [g.name, g])));
    }
  }

  #propsOf(type: SimObjectType): Map<string, PropertyDefinition> {
    const map = this.#props.get(type);
    if (!map) throw new Error(`unknown object type ${type}`);
    return map;
  }

  #groupsOf(type: SimObjectType): Map<string, PropertyGroupDefinition> {
    const map = this.#groups.get(type);
    if (!map) throw new Error(`unknown object type ${type}`);
    return map;
  }

  get(type: SimObjectType, name: string): PropertyDefinition | undefined {
    const def = this.#propsOf(type).get(name);
    return def && !def.archived ? def : undefined;
  }

  list(type: SimObjectType, archived = false): PropertyDefinition[] {
    return [...this.#propsOf(type).values()].filter((p) => p.archived === archived);
  }

  /** Names of properties whose values are unique (the upsert keys), excluding `email`. */
  uniqueNames(type: SimObjectType): string[] {
    return this.list(type)
      .filter((p) => p.hasUniqueValue)
      .map((p) => p.name);
  }

  create(
    type: SimObjectType,
    input: PropertyCreateInput,
    now: string,
    existsStatus: 400 | 409,
  ): PropertyDefinition {
    const missing = (['name', 'label', 'type', 'fieldType', 'groupName'] as const).filter((k) => !input[k]);
    if (missing.length > 0) {
      throw validationError(`Invalid input JSON: missing required fields ${missing.join(', ')}`, {
        context: { missingFields: missing },
      });
    }
    const name = String(input.name);
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw validationError(
        `Property name ${name} is invalid: use lower-case letters, digits and underscores.`,
      );
    }
    const type_ = input.type as PropertyType;
    if (!TYPES.includes(type_)) throw validationError(`Property type ${String(input.type)} is not valid.`);
    if (!FIELD_TYPES.includes(String(input.fieldType))) {
      throw validationError(`Property fieldType ${String(input.fieldType)} is not valid.`);
    }
    const existing = this.#propsOf(type).get(name);
    if (existing && !existing.archived) {
      throw new SimHttpError(
        existsStatus,
        errorBody(
          existsStatus === 409 ? 'OBJECT_ALREADY_EXISTS' : 'VALIDATION_ERROR',
          `Property named '${name}' already exists.`,
          { context: { name: [name] } },
        ),
      );
    }
    const groupName = String(input.groupName);
    if (!this.#groupsOf(type).get(groupName)) {
      throw validationError(`Property group ${groupName} does not exist.`, {
        context: { groupName: [groupName] },
      });
    }
    if (type_ === 'enumeration' && (!input.options || input.options.length === 0)) {
      throw validationError(`Enumeration property ${name} needs at least one option.`);
    }
    if (input.hasUniqueValue) {
      if (type_ !== 'string' && type_ !== 'number') {
        throw validationError(
          `Only string and number properties can have unique values (${name} is ${type_}).`,
        );
      }
      if (this.uniqueNames(type).length >= MAX_UNIQUE_PROPERTIES) {
        throw validationError(
          `Cannot create property ${name} with unique values: the limit of ${MAX_UNIQUE_PROPERTIES} unique properties for this object has been reached.`,
        );
      }
    }
    const def: PropertyDefinition = {
      name,
      label: String(input.label),
      type: type_,
      fieldType: String(input.fieldType),
      groupName,
      description: input.description ?? '',
      options: type_ === 'enumeration' || input.options ? toOptions(input.options ?? []) : [],
      hasUniqueValue: input.hasUniqueValue ?? false,
      hidden: input.hidden ?? false,
      formField: input.formField ?? false,
      displayOrder: input.displayOrder ?? -1,
      calculated: false,
      externalOptions: false,
      hubspotDefined: false,
      readOnlyValue: false,
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    this.#propsOf(type).set(name, def);
    return def;
  }

  update(type: SimObjectType, name: string, patch: PropertyCreateInput, now: string): PropertyDefinition {
    const def = this.get(type, name);
    if (!def) throw propertyNotFound(type, name);
    if (patch.hasUniqueValue !== undefined && patch.hasUniqueValue !== def.hasUniqueValue) {
      throw validationError(`hasUniqueValue of property ${name} cannot be changed once set.`);
    }
    if (patch.type !== undefined && patch.type !== def.type && def.hubspotDefined) {
      throw validationError(`The type of HubSpot-defined property ${name} cannot be changed.`);
    }
    if (patch.groupName !== undefined && !this.#groupsOf(type).get(patch.groupName)) {
      throw validationError(`Property group ${patch.groupName} does not exist.`);
    }
    const next: PropertyDefinition = {
      ...def,
      ...(patch.label !== undefined ? { label: patch.label } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.groupName !== undefined ? { groupName: patch.groupName } : {}),
      ...(patch.fieldType !== undefined ? { fieldType: patch.fieldType } : {}),
      ...(patch.type !== undefined && TYPES.includes(patch.type as PropertyType)
        ? { type: patch.type as PropertyType }
        : {}),
      ...(patch.options !== undefined ? { options: toOptions(patch.options) } : {}),
      ...(patch.hidden !== undefined ? { hidden: patch.hidden } : {}),
      ...(patch.formField !== undefined ? { formField: patch.formField } : {}),
      ...(patch.displayOrder !== undefined ? { displayOrder: patch.displayOrder } : {}),
      updatedAt: now,
    };
    this.#propsOf(type).set(name, next);
    return next;
  }

  archive(type: SimObjectType, name: string, now: string): void {
    const def = this.get(type, name);
    if (!def) return;
    if (def.hubspotDefined) throw validationError(`HubSpot-defined property ${name} cannot be archived.`);
    this.#propsOf(type).set(name, { ...def, archived: true, updatedAt: now });
  }

  listGroups(type: SimObjectType): PropertyGroupDefinition[] {
    return [...this.#groupsOf(type).values()].filter((g) => !g.archived);
  }

  getGroup(type: SimObjectType, name: string): PropertyGroupDefinition | undefined {
    const g = this.#groupsOf(type).get(name);
    return g && !g.archived ? g : undefined;
  }

  createGroup(
    type: SimObjectType,
    input: { name?: string | undefined; label?: string | undefined; displayOrder?: number | undefined },
    existsStatus: 400 | 409,
  ): PropertyGroupDefinition {
    if (!input.name || !input.label) throw validationError('Invalid input JSON: name and label are required');
    if (this.getGroup(type, input.name)) {
      throw new SimHttpError(
        existsStatus,
        errorBody(
          existsStatus === 409 ? 'OBJECT_ALREADY_EXISTS' : 'VALIDATION_ERROR',
          `Property group named '${input.name}' already exists.`,
        ),
      );
    }
    const group = {
      name: input.name,
      label: input.label,
      displayOrder: input.displayOrder ?? -1,
      archived: false,
    };
    this.#groupsOf(type).set(group.name, group);
    return group;
  }

  updateGroup(
    type: SimObjectType,
    name: string,
    patch: { label?: string | undefined; displayOrder?: number | undefined },
  ): PropertyGroupDefinition {
    const g = this.getGroup(type, name);
    if (!g) throw notFoundError(`Unable to find property group ${name} for object type ${type}`);
    const next = {
      ...g,
      ...(patch.label !== undefined ? { label: patch.label } : {}),
      ...(patch.displayOrder !== undefined ? { displayOrder: patch.displayOrder } : {}),
    };
    this.#groupsOf(type).set(name, next);
    return next;
  }

  archiveGroup(type: SimObjectType, name: string): void {
    const g = this.getGroup(type, name);
    if (!g) return;
    this.#groupsOf(type).set(name, { ...g, archived: true });
  }
}

export function propertyNotFound(type: SimObjectType, name: string): SimHttpError {
  return notFoundError(`Unable to find property ${name} for object type ${type}`, {
    context: { propertyName: [name] },
  });
}

/** The spec's `Property` JSON for a definition. */
export function serializeProperty(def: PropertyDefinition): Record<string, unknown> {
  const { readOnlyValue, ...rest } = def;
  return {
    ...rest,
    ...(def.archived ? { archivedAt: def.updatedAt } : {}),
    modificationMetadata: {
      archivable: !def.hubspotDefined,
      readOnlyDefinition: def.hubspotDefined,
      readOnlyOptions: false,
      readOnlyValue,
    },
  };
}
