export const id = 589;
export const ids = [589];
export const modules = {

/***/ 9589:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  parseManifest: () => (/* binding */ parseManifest),
  readManifest: () => (/* binding */ readManifest)
});

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/quote.ts
var quote = __webpack_require__(4519);
;// CONCATENATED MODULE: ./src/manifest-file.ts
/**
 * Reading the manifest file, and nothing else. The `manifest` input is a path a workflow author
 * writes, but a pull request can change what it points at: a symlink to `/proc/self/environ`, a
 * path up and out of the checkout. So the file must be a regular file inside the workspace once
 * every link is followed, and small; otherwise it is not read at all.
 */



/** Far above any manifest (a user takes a few hundred bytes), far below what could hurt a run. */
const MAX_MANIFEST_BYTES = 1024 * 1024;
const where = 'relative to the repository root, and that the workflow checks the repository out first';
/** Read the manifest at `path` (relative to `workspace`) if, links followed, it is a small regular file inside it. */
function readManifestFile(path, workspace) {
    const input = `'manifest' file ${(0,quote/* quote */.hD)(path)}`;
    let root;
    let file;
    try {
        root = (0,external_node_fs_.realpathSync)(workspace);
    }
    catch (error) {
        return {
            problem: `${input} cannot be read: the workspace ${(0,quote/* quote */.hD)(workspace)} does not exist (${code(error)})`
        };
    }
    try {
        file = (0,external_node_fs_.realpathSync)((0,external_node_path_.resolve)(root, path));
    }
    catch (error) {
        return { problem: `${input} cannot be read (${code(error)}): check the path, ${where}` };
    }
    const inside = (0,external_node_path_.relative)(root, file);
    if (inside === '..' || inside.startsWith(`..${external_node_path_.sep}`) || (0,external_node_path_.isAbsolute)(inside)) {
        // Name where it leads, not what is there: the file is not ours to show.
        return {
            problem: `${input} leads outside the workspace (to ${(0,quote/* quote */.hD)(file)}): give the path of a file of the repository, relative to the repository root`
        };
    }
    const shown = inside.split(external_node_path_.sep).join('/') || path;
    try {
        // Checked before opening: opening a FIFO or a device can block or have effects of its own.
        if (!(0,external_node_fs_.statSync)(file).isFile()) {
            return { problem: `${input} is not a regular file: give the path of the YAML file itself` };
        }
        // No link can stand in its place now: the path is real and the last step is not followed.
        const fd = (0,external_node_fs_.openSync)(file, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW);
        try {
            if (!(0,external_node_fs_.fstatSync)(fd).isFile()) {
                return { problem: `${input} is not a regular file: give the path of the YAML file itself` };
            }
            // Read one byte past the limit, whatever the size says: some files report none.
            const buffer = Buffer.alloc(MAX_MANIFEST_BYTES + 1);
            let length = 0;
            for (let n = 1; n > 0 && length < buffer.length; length += n) {
                n = (0,external_node_fs_.readSync)(fd, buffer, length, buffer.length - length, null);
            }
            if (length > MAX_MANIFEST_BYTES) {
                return {
                    problem: `${input} is larger than 1 MiB, the limit for a manifest: check the path, or split the users over several workflows`
                };
            }
            return { text: buffer.toString('utf8', 0, length), shown };
        }
        finally {
            (0,external_node_fs_.closeSync)(fd);
        }
    }
    catch (error) {
        return { problem: `${input} cannot be read (${code(error)}): check the path, ${where}` };
    }
}
/** An error's code (`ENOENT`), never its message: a message may hold a path or more. */
function code(error) {
    const value = error.code;
    return typeof value === 'string' && /^[A-Z0-9_]+$/.test(value) ? value : 'unknown error';
}

// EXTERNAL MODULE: ./src/target-spec.ts + 2 modules
var target_spec = __webpack_require__(6751);
;// CONCATENATED MODULE: ./src/manifest-schema.ts
/**
 * The manifest's JSON schema, as data. Ajv compiles it when the action is built
 * (scripts/manifest-validator.ts writes src/manifest-validator.generated.js), not when it starts:
 * compiling it took 20-45 ms of every run's start-up, manifest or not.
 */

const SECRET_NAME_FIELDS = ['access-key-id-secret-name', 'secret-access-key-secret-name'];
const list = { type: ['string', 'array'], items: { type: 'string' } };
/** An organization entry: `acme:selected=app+api`, or the same as a mapping (organization-spec.ts). */
const organization = {
    type: ['string', 'object'],
    required: ['org'],
    additionalProperties: false,
    properties: {
        org: { type: 'string' },
        visibility: { enum: ['all', 'private', 'selected'] },
        'selected-repositories': list
    }
};
const secretNames = Object.fromEntries(SECRET_NAME_FIELDS.map((f) => [f, { type: 'string' }]));
/** The manifest's JSON schema: the keys are the action's own input names. */
const MANIFEST_SCHEMA = {
    type: 'object',
    required: ['users'],
    additionalProperties: false,
    properties: {
        version: { const: 1 },
        defaults: { type: 'object', additionalProperties: false, properties: secretNames },
        users: {
            type: 'array',
            minItems: 1,
            items: {
                type: 'object',
                required: ['iam-user-name'],
                additionalProperties: false,
                properties: {
                    'iam-user-name': { type: 'string' },
                    ...Object.fromEntries(target_spec/* TARGET_FIELDS */.G_.map((f) => [f, list])),
                    organizations: { ...list, items: organization },
                    'dependabot-organizations': { ...list, items: organization },
                    'organization-secret-visibility': { enum: ['all', 'private', 'selected'] },
                    ...secretNames
                }
            }
        }
    }
};

;// CONCATENATED MODULE: ./src/manifest-validator.generated.js
// Generated by scripts/manifest-validator.ts from src/manifest-schema.ts (npm run build): do not edit.

const validate = validate10
/* harmony default export */ const manifest_validator_generated = ((/* unused pure expression or super */ null && (validate10)));
const schema11 = {
  type: 'object',
  required: ['users'],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: {
        'access-key-id-secret-name': { type: 'string' },
        'secret-access-key-secret-name': { type: 'string' }
      }
    },
    users: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['iam-user-name'],
        additionalProperties: false,
        properties: {
          'iam-user-name': { type: 'string' },
          repositories: { type: ['string', 'array'], items: { type: 'string' } },
          environments: { type: ['string', 'array'], items: { type: 'string' } },
          organizations: {
            type: ['string', 'array'],
            items: {
              type: ['string', 'object'],
              required: ['org'],
              additionalProperties: false,
              properties: {
                org: { type: 'string' },
                visibility: { enum: ['all', 'private', 'selected'] },
                'selected-repositories': { type: ['string', 'array'], items: { type: 'string' } }
              }
            }
          },
          'organization-secret-visibility': { enum: ['all', 'private', 'selected'] },
          'organization-selected-repositories': {
            type: ['string', 'array'],
            items: { type: 'string' }
          },
          'dependabot-repositories': { type: ['string', 'array'], items: { type: 'string' } },
          'dependabot-organizations': {
            type: ['string', 'array'],
            items: {
              type: ['string', 'object'],
              required: ['org'],
              additionalProperties: false,
              properties: {
                org: { type: 'string' },
                visibility: { enum: ['all', 'private', 'selected'] },
                'selected-repositories': { type: ['string', 'array'], items: { type: 'string' } }
              }
            }
          },
          'access-key-id-secret-name': { type: 'string' },
          'secret-access-key-secret-name': { type: 'string' }
        }
      }
    }
  }
}
const func2 = Object.prototype.hasOwnProperty
function validate10(
  data,
  { instancePath = '', parentData, parentDataProperty, rootData = data } = {}
) {
  let vErrors = null
  let errors = 0
  if (data && typeof data == 'object' && !Array.isArray(data)) {
    if (data.users === undefined) {
      const err0 = {
        instancePath,
        schemaPath: '#/required',
        keyword: 'required',
        params: { missingProperty: 'users' },
        message: "must have required property '" + 'users' + "'"
      }
      if (vErrors === null) {
        vErrors = [err0]
      } else {
        vErrors.push(err0)
      }
      errors++
    }
    for (const key0 in data) {
      if (!(key0 === 'version' || key0 === 'defaults' || key0 === 'users')) {
        const err1 = {
          instancePath,
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          params: { additionalProperty: key0 },
          message: 'must NOT have additional properties'
        }
        if (vErrors === null) {
          vErrors = [err1]
        } else {
          vErrors.push(err1)
        }
        errors++
      }
    }
    if (data.version !== undefined) {
      if (1 !== data.version) {
        const err2 = {
          instancePath: instancePath + '/version',
          schemaPath: '#/properties/version/const',
          keyword: 'const',
          params: { allowedValue: 1 },
          message: 'must be equal to constant'
        }
        if (vErrors === null) {
          vErrors = [err2]
        } else {
          vErrors.push(err2)
        }
        errors++
      }
    }
    if (data.defaults !== undefined) {
      let data1 = data.defaults
      if (data1 && typeof data1 == 'object' && !Array.isArray(data1)) {
        for (const key1 in data1) {
          if (!(key1 === 'access-key-id-secret-name' || key1 === 'secret-access-key-secret-name')) {
            const err3 = {
              instancePath: instancePath + '/defaults',
              schemaPath: '#/properties/defaults/additionalProperties',
              keyword: 'additionalProperties',
              params: { additionalProperty: key1 },
              message: 'must NOT have additional properties'
            }
            if (vErrors === null) {
              vErrors = [err3]
            } else {
              vErrors.push(err3)
            }
            errors++
          }
        }
        if (data1['access-key-id-secret-name'] !== undefined) {
          if (typeof data1['access-key-id-secret-name'] !== 'string') {
            const err4 = {
              instancePath: instancePath + '/defaults/access-key-id-secret-name',
              schemaPath: '#/properties/defaults/properties/access-key-id-secret-name/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string'
            }
            if (vErrors === null) {
              vErrors = [err4]
            } else {
              vErrors.push(err4)
            }
            errors++
          }
        }
        if (data1['secret-access-key-secret-name'] !== undefined) {
          if (typeof data1['secret-access-key-secret-name'] !== 'string') {
            const err5 = {
              instancePath: instancePath + '/defaults/secret-access-key-secret-name',
              schemaPath: '#/properties/defaults/properties/secret-access-key-secret-name/type',
              keyword: 'type',
              params: { type: 'string' },
              message: 'must be string'
            }
            if (vErrors === null) {
              vErrors = [err5]
            } else {
              vErrors.push(err5)
            }
            errors++
          }
        }
      } else {
        const err6 = {
          instancePath: instancePath + '/defaults',
          schemaPath: '#/properties/defaults/type',
          keyword: 'type',
          params: { type: 'object' },
          message: 'must be object'
        }
        if (vErrors === null) {
          vErrors = [err6]
        } else {
          vErrors.push(err6)
        }
        errors++
      }
    }
    if (data.users !== undefined) {
      let data4 = data.users
      if (Array.isArray(data4)) {
        if (data4.length < 1) {
          const err7 = {
            instancePath: instancePath + '/users',
            schemaPath: '#/properties/users/minItems',
            keyword: 'minItems',
            params: { limit: 1 },
            message: 'must NOT have fewer than 1 items'
          }
          if (vErrors === null) {
            vErrors = [err7]
          } else {
            vErrors.push(err7)
          }
          errors++
        }
        const len0 = data4.length
        for (let i0 = 0; i0 < len0; i0++) {
          let data5 = data4[i0]
          if (data5 && typeof data5 == 'object' && !Array.isArray(data5)) {
            if (data5['iam-user-name'] === undefined) {
              const err8 = {
                instancePath: instancePath + '/users/' + i0,
                schemaPath: '#/properties/users/items/required',
                keyword: 'required',
                params: { missingProperty: 'iam-user-name' },
                message: "must have required property '" + 'iam-user-name' + "'"
              }
              if (vErrors === null) {
                vErrors = [err8]
              } else {
                vErrors.push(err8)
              }
              errors++
            }
            for (const key2 in data5) {
              if (!func2.call(schema11.properties.users.items.properties, key2)) {
                const err9 = {
                  instancePath: instancePath + '/users/' + i0,
                  schemaPath: '#/properties/users/items/additionalProperties',
                  keyword: 'additionalProperties',
                  params: { additionalProperty: key2 },
                  message: 'must NOT have additional properties'
                }
                if (vErrors === null) {
                  vErrors = [err9]
                } else {
                  vErrors.push(err9)
                }
                errors++
              }
            }
            if (data5['iam-user-name'] !== undefined) {
              if (typeof data5['iam-user-name'] !== 'string') {
                const err10 = {
                  instancePath: instancePath + '/users/' + i0 + '/iam-user-name',
                  schemaPath: '#/properties/users/items/properties/iam-user-name/type',
                  keyword: 'type',
                  params: { type: 'string' },
                  message: 'must be string'
                }
                if (vErrors === null) {
                  vErrors = [err10]
                } else {
                  vErrors.push(err10)
                }
                errors++
              }
            }
            if (data5.repositories !== undefined) {
              let data7 = data5.repositories
              if (typeof data7 !== 'string' && !Array.isArray(data7)) {
                const err11 = {
                  instancePath: instancePath + '/users/' + i0 + '/repositories',
                  schemaPath: '#/properties/users/items/properties/repositories/type',
                  keyword: 'type',
                  params: { type: schema11.properties.users.items.properties.repositories.type },
                  message: 'must be string,array'
                }
                if (vErrors === null) {
                  vErrors = [err11]
                } else {
                  vErrors.push(err11)
                }
                errors++
              }
              if (Array.isArray(data7)) {
                const len1 = data7.length
                for (let i1 = 0; i1 < len1; i1++) {
                  if (typeof data7[i1] !== 'string') {
                    const err12 = {
                      instancePath: instancePath + '/users/' + i0 + '/repositories/' + i1,
                      schemaPath: '#/properties/users/items/properties/repositories/items/type',
                      keyword: 'type',
                      params: { type: 'string' },
                      message: 'must be string'
                    }
                    if (vErrors === null) {
                      vErrors = [err12]
                    } else {
                      vErrors.push(err12)
                    }
                    errors++
                  }
                }
              }
            }
            if (data5.environments !== undefined) {
              let data9 = data5.environments
              if (typeof data9 !== 'string' && !Array.isArray(data9)) {
                const err13 = {
                  instancePath: instancePath + '/users/' + i0 + '/environments',
                  schemaPath: '#/properties/users/items/properties/environments/type',
                  keyword: 'type',
                  params: { type: schema11.properties.users.items.properties.environments.type },
                  message: 'must be string,array'
                }
                if (vErrors === null) {
                  vErrors = [err13]
                } else {
                  vErrors.push(err13)
                }
                errors++
              }
              if (Array.isArray(data9)) {
                const len2 = data9.length
                for (let i2 = 0; i2 < len2; i2++) {
                  if (typeof data9[i2] !== 'string') {
                    const err14 = {
                      instancePath: instancePath + '/users/' + i0 + '/environments/' + i2,
                      schemaPath: '#/properties/users/items/properties/environments/items/type',
                      keyword: 'type',
                      params: { type: 'string' },
                      message: 'must be string'
                    }
                    if (vErrors === null) {
                      vErrors = [err14]
                    } else {
                      vErrors.push(err14)
                    }
                    errors++
                  }
                }
              }
            }
            if (data5.organizations !== undefined) {
              let data11 = data5.organizations
              if (typeof data11 !== 'string' && !Array.isArray(data11)) {
                const err15 = {
                  instancePath: instancePath + '/users/' + i0 + '/organizations',
                  schemaPath: '#/properties/users/items/properties/organizations/type',
                  keyword: 'type',
                  params: { type: schema11.properties.users.items.properties.organizations.type },
                  message: 'must be string,array'
                }
                if (vErrors === null) {
                  vErrors = [err15]
                } else {
                  vErrors.push(err15)
                }
                errors++
              }
              if (Array.isArray(data11)) {
                const len3 = data11.length
                for (let i3 = 0; i3 < len3; i3++) {
                  let data12 = data11[i3]
                  if (
                    typeof data12 !== 'string' &&
                    !(data12 && typeof data12 == 'object' && !Array.isArray(data12))
                  ) {
                    const err16 = {
                      instancePath: instancePath + '/users/' + i0 + '/organizations/' + i3,
                      schemaPath: '#/properties/users/items/properties/organizations/items/type',
                      keyword: 'type',
                      params: {
                        type: schema11.properties.users.items.properties.organizations.items.type
                      },
                      message: 'must be string,object'
                    }
                    if (vErrors === null) {
                      vErrors = [err16]
                    } else {
                      vErrors.push(err16)
                    }
                    errors++
                  }
                  if (data12 && typeof data12 == 'object' && !Array.isArray(data12)) {
                    if (data12.org === undefined) {
                      const err17 = {
                        instancePath: instancePath + '/users/' + i0 + '/organizations/' + i3,
                        schemaPath:
                          '#/properties/users/items/properties/organizations/items/required',
                        keyword: 'required',
                        params: { missingProperty: 'org' },
                        message: "must have required property '" + 'org' + "'"
                      }
                      if (vErrors === null) {
                        vErrors = [err17]
                      } else {
                        vErrors.push(err17)
                      }
                      errors++
                    }
                    for (const key3 in data12) {
                      if (!(
                        key3 === 'org' ||
                        key3 === 'visibility' ||
                        key3 === 'selected-repositories'
                      )) {
                        const err18 = {
                          instancePath: instancePath + '/users/' + i0 + '/organizations/' + i3,
                          schemaPath:
                            '#/properties/users/items/properties/organizations/items/additionalProperties',
                          keyword: 'additionalProperties',
                          params: { additionalProperty: key3 },
                          message: 'must NOT have additional properties'
                        }
                        if (vErrors === null) {
                          vErrors = [err18]
                        } else {
                          vErrors.push(err18)
                        }
                        errors++
                      }
                    }
                    if (data12.org !== undefined) {
                      if (typeof data12.org !== 'string') {
                        const err19 = {
                          instancePath:
                            instancePath + '/users/' + i0 + '/organizations/' + i3 + '/org',
                          schemaPath:
                            '#/properties/users/items/properties/organizations/items/properties/org/type',
                          keyword: 'type',
                          params: { type: 'string' },
                          message: 'must be string'
                        }
                        if (vErrors === null) {
                          vErrors = [err19]
                        } else {
                          vErrors.push(err19)
                        }
                        errors++
                      }
                    }
                    if (data12.visibility !== undefined) {
                      let data14 = data12.visibility
                      if (!(data14 === 'all' || data14 === 'private' || data14 === 'selected')) {
                        const err20 = {
                          instancePath:
                            instancePath + '/users/' + i0 + '/organizations/' + i3 + '/visibility',
                          schemaPath:
                            '#/properties/users/items/properties/organizations/items/properties/visibility/enum',
                          keyword: 'enum',
                          params: {
                            allowedValues:
                              schema11.properties.users.items.properties.organizations.items
                                .properties.visibility.enum
                          },
                          message: 'must be equal to one of the allowed values'
                        }
                        if (vErrors === null) {
                          vErrors = [err20]
                        } else {
                          vErrors.push(err20)
                        }
                        errors++
                      }
                    }
                    if (data12['selected-repositories'] !== undefined) {
                      let data15 = data12['selected-repositories']
                      if (typeof data15 !== 'string' && !Array.isArray(data15)) {
                        const err21 = {
                          instancePath:
                            instancePath +
                            '/users/' +
                            i0 +
                            '/organizations/' +
                            i3 +
                            '/selected-repositories',
                          schemaPath:
                            '#/properties/users/items/properties/organizations/items/properties/selected-repositories/type',
                          keyword: 'type',
                          params: {
                            type: schema11.properties.users.items.properties.organizations.items
                              .properties['selected-repositories'].type
                          },
                          message: 'must be string,array'
                        }
                        if (vErrors === null) {
                          vErrors = [err21]
                        } else {
                          vErrors.push(err21)
                        }
                        errors++
                      }
                      if (Array.isArray(data15)) {
                        const len4 = data15.length
                        for (let i4 = 0; i4 < len4; i4++) {
                          if (typeof data15[i4] !== 'string') {
                            const err22 = {
                              instancePath:
                                instancePath +
                                '/users/' +
                                i0 +
                                '/organizations/' +
                                i3 +
                                '/selected-repositories/' +
                                i4,
                              schemaPath:
                                '#/properties/users/items/properties/organizations/items/properties/selected-repositories/items/type',
                              keyword: 'type',
                              params: { type: 'string' },
                              message: 'must be string'
                            }
                            if (vErrors === null) {
                              vErrors = [err22]
                            } else {
                              vErrors.push(err22)
                            }
                            errors++
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
            if (data5['organization-secret-visibility'] !== undefined) {
              let data17 = data5['organization-secret-visibility']
              if (!(data17 === 'all' || data17 === 'private' || data17 === 'selected')) {
                const err23 = {
                  instancePath: instancePath + '/users/' + i0 + '/organization-secret-visibility',
                  schemaPath:
                    '#/properties/users/items/properties/organization-secret-visibility/enum',
                  keyword: 'enum',
                  params: {
                    allowedValues:
                      schema11.properties.users.items.properties['organization-secret-visibility']
                        .enum
                  },
                  message: 'must be equal to one of the allowed values'
                }
                if (vErrors === null) {
                  vErrors = [err23]
                } else {
                  vErrors.push(err23)
                }
                errors++
              }
            }
            if (data5['organization-selected-repositories'] !== undefined) {
              let data18 = data5['organization-selected-repositories']
              if (typeof data18 !== 'string' && !Array.isArray(data18)) {
                const err24 = {
                  instancePath:
                    instancePath + '/users/' + i0 + '/organization-selected-repositories',
                  schemaPath:
                    '#/properties/users/items/properties/organization-selected-repositories/type',
                  keyword: 'type',
                  params: {
                    type: schema11.properties.users.items.properties[
                      'organization-selected-repositories'
                    ].type
                  },
                  message: 'must be string,array'
                }
                if (vErrors === null) {
                  vErrors = [err24]
                } else {
                  vErrors.push(err24)
                }
                errors++
              }
              if (Array.isArray(data18)) {
                const len5 = data18.length
                for (let i5 = 0; i5 < len5; i5++) {
                  if (typeof data18[i5] !== 'string') {
                    const err25 = {
                      instancePath:
                        instancePath + '/users/' + i0 + '/organization-selected-repositories/' + i5,
                      schemaPath:
                        '#/properties/users/items/properties/organization-selected-repositories/items/type',
                      keyword: 'type',
                      params: { type: 'string' },
                      message: 'must be string'
                    }
                    if (vErrors === null) {
                      vErrors = [err25]
                    } else {
                      vErrors.push(err25)
                    }
                    errors++
                  }
                }
              }
            }
            if (data5['dependabot-repositories'] !== undefined) {
              let data20 = data5['dependabot-repositories']
              if (typeof data20 !== 'string' && !Array.isArray(data20)) {
                const err26 = {
                  instancePath: instancePath + '/users/' + i0 + '/dependabot-repositories',
                  schemaPath: '#/properties/users/items/properties/dependabot-repositories/type',
                  keyword: 'type',
                  params: {
                    type: schema11.properties.users.items.properties['dependabot-repositories'].type
                  },
                  message: 'must be string,array'
                }
                if (vErrors === null) {
                  vErrors = [err26]
                } else {
                  vErrors.push(err26)
                }
                errors++
              }
              if (Array.isArray(data20)) {
                const len6 = data20.length
                for (let i6 = 0; i6 < len6; i6++) {
                  if (typeof data20[i6] !== 'string') {
                    const err27 = {
                      instancePath:
                        instancePath + '/users/' + i0 + '/dependabot-repositories/' + i6,
                      schemaPath:
                        '#/properties/users/items/properties/dependabot-repositories/items/type',
                      keyword: 'type',
                      params: { type: 'string' },
                      message: 'must be string'
                    }
                    if (vErrors === null) {
                      vErrors = [err27]
                    } else {
                      vErrors.push(err27)
                    }
                    errors++
                  }
                }
              }
            }
            if (data5['dependabot-organizations'] !== undefined) {
              let data22 = data5['dependabot-organizations']
              if (typeof data22 !== 'string' && !Array.isArray(data22)) {
                const err28 = {
                  instancePath: instancePath + '/users/' + i0 + '/dependabot-organizations',
                  schemaPath: '#/properties/users/items/properties/dependabot-organizations/type',
                  keyword: 'type',
                  params: {
                    type: schema11.properties.users.items.properties['dependabot-organizations']
                      .type
                  },
                  message: 'must be string,array'
                }
                if (vErrors === null) {
                  vErrors = [err28]
                } else {
                  vErrors.push(err28)
                }
                errors++
              }
              if (Array.isArray(data22)) {
                const len7 = data22.length
                for (let i7 = 0; i7 < len7; i7++) {
                  let data23 = data22[i7]
                  if (
                    typeof data23 !== 'string' &&
                    !(data23 && typeof data23 == 'object' && !Array.isArray(data23))
                  ) {
                    const err29 = {
                      instancePath:
                        instancePath + '/users/' + i0 + '/dependabot-organizations/' + i7,
                      schemaPath:
                        '#/properties/users/items/properties/dependabot-organizations/items/type',
                      keyword: 'type',
                      params: {
                        type: schema11.properties.users.items.properties['dependabot-organizations']
                          .items.type
                      },
                      message: 'must be string,object'
                    }
                    if (vErrors === null) {
                      vErrors = [err29]
                    } else {
                      vErrors.push(err29)
                    }
                    errors++
                  }
                  if (data23 && typeof data23 == 'object' && !Array.isArray(data23)) {
                    if (data23.org === undefined) {
                      const err30 = {
                        instancePath:
                          instancePath + '/users/' + i0 + '/dependabot-organizations/' + i7,
                        schemaPath:
                          '#/properties/users/items/properties/dependabot-organizations/items/required',
                        keyword: 'required',
                        params: { missingProperty: 'org' },
                        message: "must have required property '" + 'org' + "'"
                      }
                      if (vErrors === null) {
                        vErrors = [err30]
                      } else {
                        vErrors.push(err30)
                      }
                      errors++
                    }
                    for (const key4 in data23) {
                      if (!(
                        key4 === 'org' ||
                        key4 === 'visibility' ||
                        key4 === 'selected-repositories'
                      )) {
                        const err31 = {
                          instancePath:
                            instancePath + '/users/' + i0 + '/dependabot-organizations/' + i7,
                          schemaPath:
                            '#/properties/users/items/properties/dependabot-organizations/items/additionalProperties',
                          keyword: 'additionalProperties',
                          params: { additionalProperty: key4 },
                          message: 'must NOT have additional properties'
                        }
                        if (vErrors === null) {
                          vErrors = [err31]
                        } else {
                          vErrors.push(err31)
                        }
                        errors++
                      }
                    }
                    if (data23.org !== undefined) {
                      if (typeof data23.org !== 'string') {
                        const err32 = {
                          instancePath:
                            instancePath +
                            '/users/' +
                            i0 +
                            '/dependabot-organizations/' +
                            i7 +
                            '/org',
                          schemaPath:
                            '#/properties/users/items/properties/dependabot-organizations/items/properties/org/type',
                          keyword: 'type',
                          params: { type: 'string' },
                          message: 'must be string'
                        }
                        if (vErrors === null) {
                          vErrors = [err32]
                        } else {
                          vErrors.push(err32)
                        }
                        errors++
                      }
                    }
                    if (data23.visibility !== undefined) {
                      let data25 = data23.visibility
                      if (!(data25 === 'all' || data25 === 'private' || data25 === 'selected')) {
                        const err33 = {
                          instancePath:
                            instancePath +
                            '/users/' +
                            i0 +
                            '/dependabot-organizations/' +
                            i7 +
                            '/visibility',
                          schemaPath:
                            '#/properties/users/items/properties/dependabot-organizations/items/properties/visibility/enum',
                          keyword: 'enum',
                          params: {
                            allowedValues:
                              schema11.properties.users.items.properties['dependabot-organizations']
                                .items.properties.visibility.enum
                          },
                          message: 'must be equal to one of the allowed values'
                        }
                        if (vErrors === null) {
                          vErrors = [err33]
                        } else {
                          vErrors.push(err33)
                        }
                        errors++
                      }
                    }
                    if (data23['selected-repositories'] !== undefined) {
                      let data26 = data23['selected-repositories']
                      if (typeof data26 !== 'string' && !Array.isArray(data26)) {
                        const err34 = {
                          instancePath:
                            instancePath +
                            '/users/' +
                            i0 +
                            '/dependabot-organizations/' +
                            i7 +
                            '/selected-repositories',
                          schemaPath:
                            '#/properties/users/items/properties/dependabot-organizations/items/properties/selected-repositories/type',
                          keyword: 'type',
                          params: {
                            type: schema11.properties.users.items.properties[
                              'dependabot-organizations'
                            ].items.properties['selected-repositories'].type
                          },
                          message: 'must be string,array'
                        }
                        if (vErrors === null) {
                          vErrors = [err34]
                        } else {
                          vErrors.push(err34)
                        }
                        errors++
                      }
                      if (Array.isArray(data26)) {
                        const len8 = data26.length
                        for (let i8 = 0; i8 < len8; i8++) {
                          if (typeof data26[i8] !== 'string') {
                            const err35 = {
                              instancePath:
                                instancePath +
                                '/users/' +
                                i0 +
                                '/dependabot-organizations/' +
                                i7 +
                                '/selected-repositories/' +
                                i8,
                              schemaPath:
                                '#/properties/users/items/properties/dependabot-organizations/items/properties/selected-repositories/items/type',
                              keyword: 'type',
                              params: { type: 'string' },
                              message: 'must be string'
                            }
                            if (vErrors === null) {
                              vErrors = [err35]
                            } else {
                              vErrors.push(err35)
                            }
                            errors++
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
            if (data5['access-key-id-secret-name'] !== undefined) {
              if (typeof data5['access-key-id-secret-name'] !== 'string') {
                const err36 = {
                  instancePath: instancePath + '/users/' + i0 + '/access-key-id-secret-name',
                  schemaPath: '#/properties/users/items/properties/access-key-id-secret-name/type',
                  keyword: 'type',
                  params: { type: 'string' },
                  message: 'must be string'
                }
                if (vErrors === null) {
                  vErrors = [err36]
                } else {
                  vErrors.push(err36)
                }
                errors++
              }
            }
            if (data5['secret-access-key-secret-name'] !== undefined) {
              if (typeof data5['secret-access-key-secret-name'] !== 'string') {
                const err37 = {
                  instancePath: instancePath + '/users/' + i0 + '/secret-access-key-secret-name',
                  schemaPath:
                    '#/properties/users/items/properties/secret-access-key-secret-name/type',
                  keyword: 'type',
                  params: { type: 'string' },
                  message: 'must be string'
                }
                if (vErrors === null) {
                  vErrors = [err37]
                } else {
                  vErrors.push(err37)
                }
                errors++
              }
            }
          } else {
            const err38 = {
              instancePath: instancePath + '/users/' + i0,
              schemaPath: '#/properties/users/items/type',
              keyword: 'type',
              params: { type: 'object' },
              message: 'must be object'
            }
            if (vErrors === null) {
              vErrors = [err38]
            } else {
              vErrors.push(err38)
            }
            errors++
          }
        }
      } else {
        const err39 = {
          instancePath: instancePath + '/users',
          schemaPath: '#/properties/users/type',
          keyword: 'type',
          params: { type: 'array' },
          message: 'must be array'
        }
        if (vErrors === null) {
          vErrors = [err39]
        } else {
          vErrors.push(err39)
        }
        errors++
      }
    }
  } else {
    const err40 = {
      instancePath,
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object'
    }
    if (vErrors === null) {
      vErrors = [err40]
    } else {
      vErrors.push(err40)
    }
    errors++
  }
  validate10.errors = vErrors
  return errors === 0
}

// EXTERNAL MODULE: ./src/users.ts
var src_users = __webpack_require__(251);
;// CONCATENATED MODULE: ./src/manifest.ts







/**
 * Read and check the manifest at `path` (relative to `workspace`): a small regular file inside the
 * workspace, links followed (see manifest-file.ts).
 */
function readManifest(path, workspace, defaults) {
    const file = readManifestFile(path, workspace);
    return 'problem' in file
        ? { users: [], problems: [file.problem] }
        : parseManifest(file.text, file.shown, defaults);
}
/**
 * Parse manifest text; `name` is the file name messages show.
 *
 * What a message may quote from the file: nothing, until the file shows it is a manifest — a
 * YAML mapping with the top-level key `users`. Any other file (a path mistyped, or pointed at
 * something else on purpose) gets one message that quotes nothing from it, since quoting a YAML
 * error or an unknown key would print lines of a file that is not ours, a secret perhaps. Even in
 * a manifest, unknown keys are named but their values never shown, and whatever is quoted is made
 * one printable line.
 */
function parseManifest(text, name, defaults) {
    const lines = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter: lines, prettyErrors: false });
    const shown = (0,quote/* printable */.g$)(name);
    const where = (offset) => {
        const { line, col } = lines.linePos(offset);
        return `${shown}:${line}:${col}`;
    };
    if (!isManifest(doc)) {
        const first = doc.errors[0];
        const error = first ? ` (YAML error ${first.code} at ${where(first.pos[0])})` : '';
        return {
            users: [],
            problems: [
                `'manifest' file ${shown} is not a rotation manifest: it must be a YAML mapping with a 'users' list at the top${error}. Nothing from the file is shown, as it may not be a manifest at all: check the path`
            ]
        };
    }
    if (doc.errors.length > 0) {
        return {
            users: [],
            problems: doc.errors.map((e) => `${where(e.pos[0])}: ${(0,quote/* printable */.g$)(e.message)}`)
        };
    }
    let data;
    try {
        // Aliases are resolved here, not while parsing: one to nothing, or too many, throws.
        data = doc.toJS();
    }
    catch (error) {
        return {
            users: [],
            problems: [`${shown}: ${(0,quote/* printable */.g$)(error instanceof Error ? error.message : String(error))}`]
        };
    }
    // Report schema problems and field problems together: a person fixes the file in one pass.
    const problems = validate(data)
        ? []
        : (validate.errors ?? []).map((e) => schemaProblem(doc, e, where));
    const manifest = wellFormed(data);
    const at = (path, message) => {
        const subject = `${where(offsetOf(doc, path))}: ${pathName(path)} `;
        // The schema may have said it already (e.g. an unknown visibility): say each thing once.
        if (!problems.some((p) => p.startsWith(subject)))
            problems.push(subject + message);
    };
    const users = manifest.users.map((raw, i) => {
        const spec = Object.fromEntries(target_spec/* TARGET_FIELDS */.G_.map((f) => [f, asList(raw[f], target_spec/* ORGANIZATION_FIELDS */.gk.includes(f))]));
        const { targets, problems: found } = (0,target_spec/* parseTargetSpec */.Sf)(spec);
        for (const p of found) {
            const path = [
                'users',
                i,
                p.field,
                ...(p.index === undefined ? [] : [p.index]),
                ...(p.path ?? [])
            ];
            at(within(data, path), p.message);
        }
        const names = {
            accessKeyId: pick(raw, manifest.defaults, 'access-key-id-secret-name', defaults.accessKeyId),
            secretAccessKey: pick(raw, manifest.defaults, 'secret-access-key-secret-name', defaults.secretAccessKey)
        };
        for (const [field, value] of [
            ['access-key-id-secret-name', names.accessKeyId],
            ['secret-access-key-secret-name', names.secretAccessKey]
        ]) {
            const problem = (0,src_users/* secretNameProblem */.n)(value);
            if (problem)
                at(['users', i, field], `is not a valid GitHub secret name: ${(0,quote/* quote */.hD)(value)} ${problem}`);
        }
        return {
            userName: raw['iam-user-name'],
            targets,
            secretNames: names,
            source: where(offsetOf(doc, ['users', i]))
        };
    });
    return { users, problems };
}
/** A YAML mapping with the manifest's top-level key: what a manifest starts as, even a broken one. */
function isManifest(doc) {
    return ((0,dist/* isMap */.jh)(doc.contents) &&
        doc.contents.items.some((p) => (0,dist/* isScalar */.jn)(p.key) && p.key.value === 'users'));
}
const record = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A string or a list of strings, as a list; anything else (the schema reports it) as nothing. */
function strings(v) {
    if (typeof v === 'string')
        return [v];
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
}
/**
 * A target field as a list for parseTargetSpec: strings, and with `entries` organization mappings
 * too. An element of another shape (the schema has reported it) is a hole, so that the rest keep
 * the indexes they have in the file and are checked all the same.
 */
function asList(v, entries) {
    if (!entries)
        return strings(v);
    if (typeof v === 'string')
        return [v];
    if (!Array.isArray(v))
        return undefined;
    return v.map((x) => {
        if (typeof x === 'string')
            return x;
        if (!record(x) || typeof x.org !== 'string')
            return undefined;
        const { visibility, 'selected-repositories': selected } = x;
        const names = selected === undefined ? [] : strings(selected);
        if ((visibility !== undefined && typeof visibility !== 'string') || !names)
            return undefined;
        return {
            org: x.org,
            ...(visibility === undefined ? {} : { visibility }),
            ...(names.length > 0 ? { 'selected-repositories': names } : {})
        };
    });
}
/** The longest start of `path` that exists in `data`: a problem in a list shown as one string stops there. */
function within(data, path) {
    let node = data;
    for (let n = 0; n < path.length; n++) {
        const key = path[n];
        const next = Array.isArray(node)
            ? typeof key === 'number'
                ? node[key]
                : undefined
            : record(node)
                ? node[key]
                : undefined;
        if (next === undefined)
            return path.slice(0, n);
        node = next;
    }
    return path;
}
/** The parts of the data that have the right shape, for the field checks; the schema reports the rest. */
function wellFormed(data) {
    if (!record(data) || !Array.isArray(data.users))
        return { users: [] };
    const strings = (v) => record(v)
        ? Object.fromEntries(Object.entries(v).filter((e) => typeof e[1] === 'string'))
        : undefined;
    return {
        defaults: strings(data.defaults),
        users: data.users.map((u) => {
            const raw = record(u) ? u : {};
            return {
                ...raw,
                'iam-user-name': typeof raw['iam-user-name'] === 'string' ? raw['iam-user-name'] : ''
            };
        })
    };
}
function pick(raw, defaults, field, fallback) {
    const own = raw[field];
    return typeof own === 'string' ? own : (defaults?.[field] ?? fallback);
}
/** `users[3].repositories[0]`, as a person reads a path into the file. */
function pathName(path) {
    return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
/** Where the node at `path` starts; the nearest existing parent when it is missing. */
function offsetOf(doc, path) {
    for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true);
        if (node && typeof node === 'object' && node.range)
            return node.range[0];
    }
    return 0;
}
function schemaProblem(doc, e, where) {
    const path = e.instancePath
        .split('/')
        .slice(1)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    if (e.keyword === 'additionalProperties') {
        const key = String(e.params.additionalProperty);
        const map = doc.getIn(path, true);
        const pair = (0,dist/* isMap */.jh)(map)
            ? map.items.find((p) => (0,dist/* isPair */.tO)(p) && (0,dist/* isScalar */.jn)(p.key) && p.key.value === key)
            : undefined;
        const offset = pair && (0,dist/* isScalar */.jn)(pair.key) && pair.key.range ? pair.key.range[0] : offsetOf(doc, path);
        return `${where(offset)}: unknown key ${(0,quote/* quote */.hD)(key)}${path.length ? ` in ${pathName(path)}` : ''}; allowed keys are ${allowed(path)}`;
    }
    const subject = path.length ? pathName(path) : 'the manifest';
    const detail = e.keyword === 'enum'
        ? `must be one of ${e.params.allowedValues.join(', ')}`
        : e.keyword === 'type'
            ? typeMessage(e.params.type, path)
            : (e.message ?? e.keyword);
    return `${where(offsetOf(doc, path))}: ${subject} ${detail}`;
}
function allowed(path) {
    const props = path.length === 0
        ? MANIFEST_SCHEMA.properties
        : path[0] === 'defaults'
            ? MANIFEST_SCHEMA.properties.defaults.properties
            : path.length > 3
                ? organization.properties
                : MANIFEST_SCHEMA.properties.users.items.properties;
    return Object.keys(props).join(', ');
}
function typeMessage(type, path) {
    const types = Array.isArray(type) ? type : type.split(',');
    if (types.includes('array') && types.includes('string'))
        return target_spec/* ORGANIZATION_FIELDS */.gk.includes(path[2]) && path.length === 3
            ? "must be a string or a list of strings and mappings ('org', 'visibility', 'selected-repositories')"
            : 'must be a string or a list of strings';
    return `must be ${types.map((t) => (t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : `a ${t}`)).join(' or ')}`;
}


/***/ })

};
