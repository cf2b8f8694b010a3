// GENERATED from crds/*.yaml by `npm run generate:api` (operator/codegen/): do not edit. A change to the API is
// a change to its CRD; test/api/generated-files.test.ts fails while this file is not regenerated.
import type { CustomResourceDefinition } from './crd-definition.js';

export const CRD_DOCUMENTS: readonly CustomResourceDefinition[] = [
  {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {
      "name": "mappings.portico.dev"
    },
    "spec": {
      "group": "portico.dev",
      "scope": "Namespaced",
      "names": {
        "kind": "Mapping",
        "listKind": "MappingList",
        "plural": "mappings",
        "singular": "mapping",
        "shortNames": [
          "map"
        ],
        "categories": [
          "portico"
        ]
      },
      "versions": [
        {
          "name": "v1alpha1",
          "served": true,
          "storage": true,
          "subresources": {
            "status": {}
          },
          "additionalPrinterColumns": [
            {
              "name": "Prefix",
              "type": "string",
              "jsonPath": ".spec.prefix"
            },
            {
              "name": "Service",
              "type": "string",
              "jsonPath": ".spec.service"
            },
            {
              "name": "Rewrite",
              "type": "string",
              "jsonPath": ".spec.rewrite"
            },
            {
              "name": "Host",
              "type": "string",
              "jsonPath": ".spec.host",
              "priority": 1
            },
            {
              "name": "Programmed",
              "type": "string",
              "jsonPath": ".status.conditions[?(@.type==\"Programmed\")].status"
            },
            {
              "name": "Age",
              "type": "date",
              "jsonPath": ".metadata.creationTimestamp"
            }
          ],
          "schema": {
            "openAPIV3Schema": {
              "type": "object",
              "description": "A Mapping routes requests whose path starts with spec.prefix to spec.service.",
              "required": [
                "spec"
              ],
              "properties": {
                "apiVersion": {
                  "type": "string"
                },
                "kind": {
                  "type": "string"
                },
                "metadata": {
                  "type": "object"
                },
                "spec": {
                  "type": "object",
                  "required": [
                    "prefix",
                    "service"
                  ],
                  "properties": {
                    "prefix": {
                      "type": "string",
                      "description": "A plain string prefix of the request path, as in Ambassador: /user also matches /users. Percent-encodings are in uppercase (%C3%A9). Requests are normalised before matching (docs/security.md), so \"//\", \".\" and \"..\" segments and encoded unreserved characters such as %2e are refused.",
                      "minLength": 1,
                      "maxLength": 1024,
                      "x-kubernetes-validations": [
                        {
                          "rule": "self.startsWith('/')",
                          "message": "must start with \"/\""
                        },
                        {
                          "rule": "!self.contains('?') && !self.contains('#')",
                          "message": "must not contain \"?\" or \"#\": it is matched against the path, not the query or fragment"
                        },
                        {
                          "rule": "self.matches('^[!-~]*$')",
                          "message": "must hold only printable ASCII characters, without spaces: percent-encode the others (e.g. %20)"
                        }
                      ]
                    },
                    "service": {
                      "type": "string",
                      "description": "[http://|https://]name[.namespace][:port]. The namespace defaults to the Mapping's own; the port may be a number or a Service port name and may be omitted when the Service has one port.",
                      "minLength": 1,
                      "maxLength": 512
                    },
                    "rewrite": {
                      "type": "string",
                      "description": "Replaces the matched prefix before forwarding. \"\" forwards the path unchanged. Default \"/\". No \"//\", \".\" or \"..\" segments.",
                      "default": "/",
                      "maxLength": 1024,
                      "x-kubernetes-validations": [
                        {
                          "rule": "self == '' || self.startsWith('/')",
                          "message": "must be \"\" (forward the path unchanged) or start with \"/\""
                        },
                        {
                          "rule": "!self.contains('?') && !self.contains('#')",
                          "message": "must not contain \"?\" or \"#\": it is matched against the path, not the query or fragment"
                        },
                        {
                          "rule": "self.matches('^[!-~]*$')",
                          "message": "must hold only printable ASCII characters, without spaces: percent-encode the others (e.g. %20)"
                        }
                      ]
                    },
                    "host": {
                      "type": "string",
                      "description": "An exact host name or a \"*.\" wildcard; without it the Mapping serves every host.",
                      "maxLength": 253,
                      "x-kubernetes-validations": [
                        {
                          "rule": "self.matches('^([*][.])?[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
                          "message": "must be a lower-case host name such as api.example.com, or a wildcard such as *.example.com"
                        }
                      ]
                    }
                  }
                },
                "status": {
                  "type": "object",
                  "properties": {
                    "observedGeneration": {
                      "type": "integer",
                      "format": "int64",
                      "minimum": 0
                    },
                    "conditions": {
                      "type": "array",
                      "maxItems": 8,
                      "x-kubernetes-list-type": "map",
                      "x-kubernetes-list-map-keys": [
                        "type"
                      ],
                      "items": {
                        "type": "object",
                        "required": [
                          "type",
                          "status",
                          "reason",
                          "message"
                        ],
                        "properties": {
                          "type": {
                            "type": "string",
                            "maxLength": 316,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$')",
                                "message": "must be a condition type such as Programmed, optionally prefixed with a DNS subdomain and \"/\" (example.com/Ready)"
                              }
                            ]
                          },
                          "status": {
                            "type": "string",
                            "enum": [
                              "True",
                              "False",
                              "Unknown"
                            ]
                          },
                          "reason": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$')",
                                "message": "must be a CamelCase reason such as BackendNotFound (letters, digits, \"_\", \",\" and \":\")"
                              }
                            ]
                          },
                          "message": {
                            "type": "string",
                            "maxLength": 32768
                          },
                          "observedGeneration": {
                            "type": "integer",
                            "format": "int64",
                            "minimum": 0
                          },
                          "lastTransitionTime": {
                            "type": "string",
                            "format": "date-time"
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      ]
    }
  },
  {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {
      "name": "porticoreferencegrants.portico.dev"
    },
    "spec": {
      "group": "portico.dev",
      "scope": "Namespaced",
      "names": {
        "kind": "PorticoReferenceGrant",
        "listKind": "PorticoReferenceGrantList",
        "plural": "porticoreferencegrants",
        "singular": "porticoreferencegrant",
        "shortNames": [
          "prg"
        ],
        "categories": [
          "portico"
        ]
      },
      "versions": [
        {
          "name": "v1alpha1",
          "served": true,
          "storage": true,
          "additionalPrinterColumns": [
            {
              "name": "From",
              "type": "string",
              "jsonPath": ".spec.from[*].namespace"
            },
            {
              "name": "To",
              "type": "string",
              "jsonPath": ".spec.to[*].kind"
            },
            {
              "name": "Age",
              "type": "date",
              "jsonPath": ".metadata.creationTimestamp"
            }
          ],
          "schema": {
            "openAPIV3Schema": {
              "type": "object",
              "description": "A PorticoReferenceGrant, in the namespace that owns some Services, Secrets or hosts, allows the objects listed in spec.from (other namespaces) to reference the Services and Secrets listed in spec.to (this namespace), or to serve the hosts listed there (hosts this namespace owns: it named them first). A reference is allowed when one grant has a matching entry in both lists.",
              "required": [
                "spec"
              ],
              "properties": {
                "apiVersion": {
                  "type": "string"
                },
                "kind": {
                  "type": "string"
                },
                "metadata": {
                  "type": "object"
                },
                "spec": {
                  "type": "object",
                  "required": [
                    "from",
                    "to"
                  ],
                  "properties": {
                    "from": {
                      "type": "array",
                      "description": "Who may refer to this namespace's objects. No wildcards.",
                      "minItems": 1,
                      "maxItems": 16,
                      "items": {
                        "type": "object",
                        "required": [
                          "kind",
                          "namespace"
                        ],
                        "properties": {
                          "kind": {
                            "type": "string",
                            "description": "Mapping (for spec.service and spec.host) or TLSContext (for spec.secret and spec.hosts).",
                            "enum": [
                              "Mapping",
                              "TLSContext"
                            ]
                          },
                          "namespace": {
                            "type": "string",
                            "description": "The namespace of the referring objects.",
                            "minLength": 1,
                            "maxLength": 63,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
                                "message": "must be a namespace name (lower-case letters, digits and \"-\", starting and ending with a letter or digit); no wildcards"
                              }
                            ]
                          }
                        }
                      }
                    },
                    "to": {
                      "type": "array",
                      "description": "What they may refer to, in this grant's namespace, or which of its hosts they may serve.",
                      "minItems": 1,
                      "maxItems": 16,
                      "items": {
                        "type": "object",
                        "required": [
                          "kind"
                        ],
                        "properties": {
                          "kind": {
                            "type": "string",
                            "description": "Service (Mappings' spec.service), Secret (TLSContexts' spec.secret) or Host (a host this namespace owns, for Mappings' spec.host, host-less Mappings and TLSContexts' spec.hosts).",
                            "enum": [
                              "Service",
                              "Secret",
                              "Host"
                            ]
                          },
                          "name": {
                            "type": "string",
                            "description": "One object by name; omitted means every object of that kind in this namespace. For Host: an exact host or a \"*.\" wildcard (which also grants the names under it); omitted means every host this namespace owns. A \"*.\" name on a Service or Secret matches nothing.",
                            "minLength": 1,
                            "maxLength": 253,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^([*][.])?[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
                                "message": "must be an object name (lower-case letters, digits, \"-\" and \".\", starting and ending with a letter or digit), or for Host a \"*.\" wildcard host"
                              }
                            ]
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      ]
    }
  },
  {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {
      "name": "tlscontexts.portico.dev"
    },
    "spec": {
      "group": "portico.dev",
      "scope": "Namespaced",
      "names": {
        "kind": "TLSContext",
        "listKind": "TLSContextList",
        "plural": "tlscontexts",
        "singular": "tlscontext",
        "shortNames": [
          "tlsctx"
        ],
        "categories": [
          "portico"
        ]
      },
      "versions": [
        {
          "name": "v1alpha1",
          "served": true,
          "storage": true,
          "subresources": {
            "status": {}
          },
          "additionalPrinterColumns": [
            {
              "name": "Hosts",
              "type": "string",
              "jsonPath": ".spec.hosts"
            },
            {
              "name": "Secret",
              "type": "string",
              "jsonPath": ".spec.secret"
            },
            {
              "name": "NotAfter",
              "type": "string",
              "jsonPath": ".status.notAfter"
            },
            {
              "name": "Programmed",
              "type": "string",
              "jsonPath": ".status.conditions[?(@.type==\"Programmed\")].status"
            },
            {
              "name": "Age",
              "type": "date",
              "jsonPath": ".metadata.creationTimestamp"
            }
          ],
          "schema": {
            "openAPIV3Schema": {
              "type": "object",
              "description": "A TLSContext terminates TLS on the HTTPS listener for spec.hosts (SNI).",
              "required": [
                "spec"
              ],
              "properties": {
                "apiVersion": {
                  "type": "string"
                },
                "kind": {
                  "type": "string"
                },
                "metadata": {
                  "type": "object"
                },
                "spec": {
                  "type": "object",
                  "required": [
                    "secret"
                  ],
                  "properties": {
                    "hosts": {
                      "type": "array",
                      "description": "SNI host names (exact or \"*.\" wildcard). Empty means the default certificate.",
                      "maxItems": 64,
                      "x-kubernetes-list-type": "set",
                      "items": {
                        "type": "string",
                        "maxLength": 253,
                        "x-kubernetes-validations": [
                          {
                            "rule": "self.matches('^([*][.])?[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
                            "message": "must be a lower-case host name such as api.example.com, or a wildcard such as *.example.com"
                          }
                        ]
                      }
                    },
                    "secret": {
                      "type": "string",
                      "description": "name[.namespace] of a kubernetes.io/tls Secret; the last dot splits off the namespace.",
                      "minLength": 1,
                      "maxLength": 317,
                      "x-kubernetes-validations": [
                        {
                          "rule": "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
                          "message": "must be a Secret name, or name.namespace: lower-case letters, digits, \"-\" and \".\", each part starting and ending with a letter or digit"
                        }
                      ]
                    },
                    "redirectCleartext": {
                      "type": "boolean",
                      "description": "Redirect plain HTTP requests for these hosts to HTTPS (301)."
                    },
                    "minTlsVersion": {
                      "type": "string",
                      "description": "Lowest TLS version offered. TLS 1.0 and 1.1 are not offered at all (RFC 8996); with TLS 1.2, only ECDHE key exchange with AEAD ciphers (AES-GCM, ChaCha20-Poly1305) is negotiated.",
                      "enum": [
                        "v1.2",
                        "v1.3"
                      ],
                      "default": "v1.2"
                    },
                    "maxTlsVersion": {
                      "type": "string",
                      "description": "Highest TLS version offered; v1.3 when omitted.",
                      "enum": [
                        "v1.2",
                        "v1.3"
                      ]
                    },
                    "alpnProtocols": {
                      "type": "array",
                      "maxItems": 8,
                      "default": [
                        "h2",
                        "http/1.1"
                      ],
                      "items": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 255
                      }
                    }
                  }
                },
                "status": {
                  "type": "object",
                  "properties": {
                    "observedGeneration": {
                      "type": "integer",
                      "format": "int64",
                      "minimum": 0
                    },
                    "notAfter": {
                      "type": "string",
                      "format": "date-time",
                      "description": "Expiry of the certificate in spec.secret."
                    },
                    "conditions": {
                      "type": "array",
                      "maxItems": 8,
                      "x-kubernetes-list-type": "map",
                      "x-kubernetes-list-map-keys": [
                        "type"
                      ],
                      "items": {
                        "type": "object",
                        "required": [
                          "type",
                          "status",
                          "reason",
                          "message"
                        ],
                        "properties": {
                          "type": {
                            "type": "string",
                            "maxLength": 316,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$')",
                                "message": "must be a condition type such as Programmed, optionally prefixed with a DNS subdomain and \"/\" (example.com/Ready)"
                              }
                            ]
                          },
                          "status": {
                            "type": "string",
                            "enum": [
                              "True",
                              "False",
                              "Unknown"
                            ]
                          },
                          "reason": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$')",
                                "message": "must be a CamelCase reason such as BackendNotFound (letters, digits, \"_\", \",\" and \":\")"
                              }
                            ]
                          },
                          "message": {
                            "type": "string",
                            "maxLength": 32768
                          },
                          "observedGeneration": {
                            "type": "integer",
                            "format": "int64",
                            "minimum": 0
                          },
                          "lastTransitionTime": {
                            "type": "string",
                            "format": "date-time"
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      ]
    }
  }
];
