// GENERATED from crds/*.yaml by `npm run generate:api` (operator/codegen/): do not edit. A change to the API is
// a change to its CRD; test/codegen/generated-files.test.ts fails while this file is not regenerated.
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
                  "x-kubernetes-validations": [
                    {
                      "rule": "(has(self.prefixRegex) && self.prefixRegex) || (!self.prefix.contains('?') && !self.prefix.contains('#'))",
                      "fieldPath": ".prefix",
                      "message": "must not contain \"?\" or \"#\": it is matched against the path, not the query or fragment (unless prefixRegex is true)"
                    },
                    {
                      "rule": "!(has(self.prefixRegex) && self.prefixRegex && has(self.prefixExact) && self.prefixExact)",
                      "fieldPath": ".prefixExact",
                      "message": "must not be true together with prefixRegex: a regular expression already matches the whole path"
                    }
                  ],
                  "properties": {
                    "prefix": {
                      "type": "string",
                      "description": "A plain string prefix of the request path, as in Ambassador: /user also matches /users (prefixExact and prefixRegex change how it matches). Percent-encodings are in uppercase (%C3%A9). Requests are normalised before matching (docs/security.md), so \"//\", \".\" and \"..\" segments and encoded unreserved characters such as %2e are refused.",
                      "minLength": 1,
                      "maxLength": 1024,
                      "x-kubernetes-validations": [
                        {
                          "rule": "self.startsWith('/')",
                          "message": "must start with \"/\""
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
                    },
                    "prefixExact": {
                      "type": "boolean",
                      "description": "The path must equal spec.prefix exactly, instead of starting with it. Default false."
                    },
                    "prefixRegex": {
                      "type": "boolean",
                      "description": "spec.prefix is an RE2 regular expression that the whole path must match, instead of a plain prefix. Default false. Routes are still ordered by the length of spec.prefix as written."
                    },
                    "caseSensitive": {
                      "type": "boolean",
                      "description": "Whether spec.prefix matches the path case-sensitively. Default true."
                    },
                    "method": {
                      "type": "string",
                      "description": "Only requests with this HTTP method match (upper case, e.g. GET). Omitted, any method matches.",
                      "maxLength": 32,
                      "x-kubernetes-validations": [
                        {
                          "rule": "self.matches('^[A-Z]+(-[A-Z]+)*$')",
                          "message": "must be an HTTP method in upper case, such as GET or POST"
                        }
                      ]
                    },
                    "headers": {
                      "type": "array",
                      "description": "Request headers that must all be present with exactly these values (header names are case-insensitive). An entry without a value only requires the header to be present.",
                      "maxItems": 16,
                      "x-kubernetes-list-type": "map",
                      "x-kubernetes-list-map-keys": [
                        "name"
                      ],
                      "items": {
                        "type": "object",
                        "required": [
                          "name"
                        ],
                        "properties": {
                          "name": {
                            "type": "string",
                            "description": "The header name, e.g. x-canary.",
                            "minLength": 1,
                            "maxLength": 256,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^[A-Za-z0-9][-A-Za-z0-9_.]*$')",
                                "message": "must be an HTTP header name such as x-canary (letters, digits, \"-\", \"_\" and \".\"); use spec.host or spec.method for :authority and :method"
                              }
                            ]
                          },
                          "value": {
                            "type": "string",
                            "description": "The exact value; omitted, any value matches.",
                            "maxLength": 1024
                          }
                        }
                      }
                    },
                    "regexHeaders": {
                      "type": "array",
                      "description": "Request headers that must all be present with a value matching the RE2 expression (whole value).",
                      "maxItems": 16,
                      "x-kubernetes-list-type": "map",
                      "x-kubernetes-list-map-keys": [
                        "name"
                      ],
                      "items": {
                        "type": "object",
                        "required": [
                          "name",
                          "pattern"
                        ],
                        "properties": {
                          "name": {
                            "type": "string",
                            "description": "The header name, e.g. x-user-agent.",
                            "minLength": 1,
                            "maxLength": 256,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^[A-Za-z0-9][-A-Za-z0-9_.]*$')",
                                "message": "must be an HTTP header name such as x-canary (letters, digits, \"-\", \"_\" and \".\"); use spec.host or spec.method for :authority and :method"
                              }
                            ]
                          },
                          "pattern": {
                            "type": "string",
                            "description": "An RE2 regular expression the whole header value must match, e.g. \"^Mozilla/.*\".",
                            "minLength": 1,
                            "maxLength": 1024
                          }
                        }
                      }
                    },
                    "queryParameters": {
                      "type": "array",
                      "description": "Query parameters that must all be present with exactly these values. An entry without a value only requires the parameter to be present.",
                      "maxItems": 16,
                      "x-kubernetes-list-type": "map",
                      "x-kubernetes-list-map-keys": [
                        "name"
                      ],
                      "items": {
                        "type": "object",
                        "required": [
                          "name"
                        ],
                        "properties": {
                          "name": {
                            "type": "string",
                            "description": "The parameter name, e.g. debug.",
                            "minLength": 1,
                            "maxLength": 256,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^[!-~]*$') && !self.contains('&') && !self.contains('=') && !self.contains('#')",
                                "message": "must be a query parameter name: printable ASCII characters without spaces, \"&\", \"=\" or \"#\""
                              }
                            ]
                          },
                          "value": {
                            "type": "string",
                            "description": "The exact value (after percent-decoding); omitted, any value matches.",
                            "maxLength": 1024
                          }
                        }
                      }
                    },
                    "regexQueryParameters": {
                      "type": "array",
                      "description": "Query parameters that must all be present with a value matching the RE2 expression (whole value).",
                      "maxItems": 16,
                      "x-kubernetes-list-type": "map",
                      "x-kubernetes-list-map-keys": [
                        "name"
                      ],
                      "items": {
                        "type": "object",
                        "required": [
                          "name",
                          "pattern"
                        ],
                        "properties": {
                          "name": {
                            "type": "string",
                            "description": "The parameter name, e.g. version.",
                            "minLength": 1,
                            "maxLength": 256,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^[!-~]*$') && !self.contains('&') && !self.contains('=') && !self.contains('#')",
                                "message": "must be a query parameter name: printable ASCII characters without spaces, \"&\", \"=\" or \"#\""
                              }
                            ]
                          },
                          "pattern": {
                            "type": "string",
                            "description": "An RE2 regular expression the whole value must match, e.g. \"v[0-9]+\".",
                            "minLength": 1,
                            "maxLength": 1024
                          }
                        }
                      }
                    },
                    "precedence": {
                      "type": "integer",
                      "format": "int32",
                      "description": "The first sort key of the route order: a Mapping with a higher precedence is tried before any with a lower one, whatever their prefixes and constraints. Default 0.",
                      "minimum": -1000000,
                      "maximum": 1000000
                    },
                    "weight": {
                      "type": "integer",
                      "description": "The percentage of the traffic of its group (the Mappings with the same match) that this Mapping gets; the Mappings of the group without a weight share the rest evenly, as in Emissary. With shadow, the percentage of the traffic that is mirrored.",
                      "x-kubernetes-validations": [
                        {
                          "rule": "self >= 0 && self <= 100",
                          "message": "must be a percentage, from 0 to 100"
                        }
                      ]
                    },
                    "shadow": {
                      "type": "boolean",
                      "description": "Mirror the requests of the Mappings with the same match to this Mapping's service; its responses are discarded, and the mirrored Host header gets \"-shadow\" appended. Default false."
                    },
                    "regexRewrite": {
                      "type": "object",
                      "description": "Rewrites the path with an RE2 expression instead of spec.rewrite (which it overrides): every match of pattern in the path is replaced by substitution, which may refer to groups (\\1).",
                      "required": [
                        "pattern",
                        "substitution"
                      ],
                      "properties": {
                        "pattern": {
                          "type": "string",
                          "description": "An RE2 regular expression, e.g. \"^/service/([^/]+)(/.*)$\".",
                          "minLength": 1,
                          "maxLength": 1024
                        },
                        "substitution": {
                          "type": "string",
                          "description": "The replacement, e.g. \"\\2/instance/\\1\".",
                          "maxLength": 1024
                        }
                      }
                    },
                    "hostRewrite": {
                      "type": "string",
                      "description": "The Host header sent upstream instead of the client's.",
                      "maxLength": 259,
                      "x-kubernetes-validations": [
                        {
                          "rule": "self.matches('^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?([.][A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*(:[0-9]{1,5})?$')",
                          "message": "must be a host name, optionally with a port, such as backend.internal or backend.internal:8080"
                        }
                      ]
                    },
                    "timeout": {
                      "type": "string",
                      "description": "How long the whole request may take, from its first byte to the last byte of the response (\"3s\", \"500ms\", \"1m30s\"); \"0s\" means no limit. Omitted, Envoy's 15s.",
                      "maxLength": 32,
                      "x-kubernetes-validations": [
                        {
                          "rule": "self.matches('^([0-9]{1,9}(h|m|s|ms))+$')",
                          "message": "must be a duration such as 3s, 500ms or 1m30s (units h, m, s, ms)"
                        }
                      ]
                    },
                    "idleTimeout": {
                      "type": "string",
                      "description": "How long a request's stream may stay without activity (\"30s\", \"5m\"); omitted, the listener's (5 minutes).",
                      "maxLength": 32,
                      "x-kubernetes-validations": [
                        {
                          "rule": "self.matches('^([0-9]{1,9}(h|m|s|ms))+$')",
                          "message": "must be a duration such as 3s, 500ms or 1m30s (units h, m, s, ms)"
                        }
                      ]
                    },
                    "connectTimeout": {
                      "type": "string",
                      "description": "How long a connection to the service may take to open (\"3s\", \"250ms\"). Default 3s.",
                      "maxLength": 32,
                      "x-kubernetes-validations": [
                        {
                          "rule": "self.matches('^([0-9]{1,9}(h|m|s|ms))+$')",
                          "message": "must be a duration such as 3s, 500ms or 1m30s (units h, m, s, ms)"
                        },
                        {
                          "rule": "!self.matches('^(0+(h|m|s|ms))+$')",
                          "message": "must be longer than 0"
                        }
                      ]
                    },
                    "retryPolicy": {
                      "type": "object",
                      "description": "Retry failed requests (Envoy's retry policy).",
                      "required": [
                        "retryOn"
                      ],
                      "properties": {
                        "retryOn": {
                          "type": "array",
                          "description": "Which failures are retried: 5xx (any 5xx response, or no response), gateway-error (502, 503, 504), reset (the connection was reset), connect-failure, retriable-4xx (409), refused-stream (HTTP/2 REFUSED_STREAM).",
                          "minItems": 1,
                          "maxItems": 6,
                          "x-kubernetes-list-type": "set",
                          "items": {
                            "type": "string",
                            "enum": [
                              "5xx",
                              "gateway-error",
                              "reset",
                              "connect-failure",
                              "retriable-4xx",
                              "refused-stream"
                            ]
                          }
                        },
                        "numRetries": {
                          "type": "integer",
                          "description": "How many times a request is retried at most. Default 1.",
                          "x-kubernetes-validations": [
                            {
                              "rule": "self >= 1 && self <= 10",
                              "message": "must be from 1 to 10: more retries than that only multiply the load on a failing service"
                            }
                          ]
                        },
                        "perTryTimeout": {
                          "type": "string",
                          "description": "How long each try may take (\"1s\", \"250ms\"); omitted, only spec.timeout limits it.",
                          "maxLength": 32,
                          "x-kubernetes-validations": [
                            {
                              "rule": "self.matches('^([0-9]{1,9}(h|m|s|ms))+$')",
                              "message": "must be a duration such as 3s, 500ms or 1m30s (units h, m, s, ms)"
                            },
                            {
                              "rule": "!self.matches('^(0+(h|m|s|ms))+$')",
                              "message": "must be longer than 0"
                            }
                          ]
                        }
                      }
                    },
                    "addRequestHeaders": {
                      "type": "array",
                      "description": "Headers added to the request before it is forwarded.",
                      "maxItems": 32,
                      "x-kubernetes-list-type": "map",
                      "x-kubernetes-list-map-keys": [
                        "name"
                      ],
                      "items": {
                        "type": "object",
                        "required": [
                          "name",
                          "value"
                        ],
                        "properties": {
                          "name": {
                            "type": "string",
                            "description": "The header name.",
                            "minLength": 1,
                            "maxLength": 256,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^[A-Za-z0-9][-A-Za-z0-9_.]*$')",
                                "message": "must be an HTTP header name such as x-request-source (letters, digits, \"-\", \"_\" and \".\")"
                              },
                              {
                                "rule": "!self.matches('^[Hh][Oo][Ss][Tt]$')",
                                "message": "must not be Host: use spec.hostRewrite"
                              }
                            ]
                          },
                          "value": {
                            "type": "string",
                            "description": "The value. Envoy's %VARIABLES% are expanded, e.g. %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%; write %% for a literal %.",
                            "maxLength": 1024
                          },
                          "append": {
                            "type": "boolean",
                            "description": "Add the value beside any the request already has (true), or replace them (false). Default true, as in Emissary."
                          }
                        }
                      }
                    },
                    "addResponseHeaders": {
                      "type": "array",
                      "description": "Headers added to the response before it is returned to the client.",
                      "maxItems": 32,
                      "x-kubernetes-list-type": "map",
                      "x-kubernetes-list-map-keys": [
                        "name"
                      ],
                      "items": {
                        "type": "object",
                        "required": [
                          "name",
                          "value"
                        ],
                        "properties": {
                          "name": {
                            "type": "string",
                            "description": "The header name.",
                            "minLength": 1,
                            "maxLength": 256,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^[A-Za-z0-9][-A-Za-z0-9_.]*$')",
                                "message": "must be an HTTP header name such as x-served-by (letters, digits, \"-\", \"_\" and \".\")"
                              }
                            ]
                          },
                          "value": {
                            "type": "string",
                            "description": "The value (Envoy's %VARIABLES% are expanded; write %% for a literal %).",
                            "maxLength": 1024
                          },
                          "append": {
                            "type": "boolean",
                            "description": "Add the value beside any the response already has (true), or replace them (false). Default true, as in Emissary."
                          }
                        }
                      }
                    },
                    "removeRequestHeaders": {
                      "type": "array",
                      "description": "Headers removed from the request before it is forwarded.",
                      "maxItems": 32,
                      "x-kubernetes-list-type": "set",
                      "items": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 256,
                        "x-kubernetes-validations": [
                          {
                            "rule": "self.matches('^[A-Za-z0-9][-A-Za-z0-9_.]*$')",
                            "message": "must be an HTTP header name such as x-debug (letters, digits, \"-\", \"_\" and \".\")"
                          },
                          {
                            "rule": "!self.matches('^[Hh][Oo][Ss][Tt]$')",
                            "message": "must not be Host: use spec.hostRewrite"
                          }
                        ]
                      }
                    },
                    "removeResponseHeaders": {
                      "type": "array",
                      "description": "Headers removed from the response before it is returned to the client.",
                      "maxItems": 32,
                      "x-kubernetes-list-type": "set",
                      "items": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 256,
                        "x-kubernetes-validations": [
                          {
                            "rule": "self.matches('^[A-Za-z0-9][-A-Za-z0-9_.]*$')",
                            "message": "must be an HTTP header name such as server (letters, digits, \"-\", \"_\" and \".\")"
                          }
                        ]
                      }
                    },
                    "cors": {
                      "type": "object",
                      "description": "Cross-origin resource sharing: preflight requests (OPTIONS with Origin and Access-Control-Request-Method) are answered by Envoy, and the allowed origins get the Access-Control-* response headers.",
                      "required": [
                        "origins"
                      ],
                      "properties": {
                        "origins": {
                          "type": "array",
                          "description": "The allowed origins, each exact (https://app.example.com) or \"*\" for any.",
                          "minItems": 1,
                          "maxItems": 64,
                          "x-kubernetes-list-type": "set",
                          "items": {
                            "type": "string",
                            "maxLength": 512,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self == '*' || self.matches('^[a-z][-+.a-z0-9]*://[^/?#]+$')",
                                "message": "must be \"*\" or an origin such as https://app.example.com (scheme://host[:port], no path)"
                              }
                            ]
                          }
                        },
                        "methods": {
                          "type": "array",
                          "description": "The methods allowed (Access-Control-Allow-Methods), e.g. GET, POST.",
                          "maxItems": 16,
                          "x-kubernetes-list-type": "set",
                          "items": {
                            "type": "string",
                            "maxLength": 32,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^[A-Z]+(-[A-Z]+)*$')",
                                "message": "must be an HTTP method in upper case, such as GET or POST"
                              }
                            ]
                          }
                        },
                        "headers": {
                          "type": "array",
                          "description": "The request headers allowed (Access-Control-Allow-Headers).",
                          "maxItems": 32,
                          "x-kubernetes-list-type": "set",
                          "items": {
                            "type": "string",
                            "maxLength": 256,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^[A-Za-z0-9][-A-Za-z0-9_.]*$')",
                                "message": "must be an HTTP header name such as content-type (letters, digits, \"-\", \"_\" and \".\")"
                              }
                            ]
                          }
                        },
                        "exposedHeaders": {
                          "type": "array",
                          "description": "The response headers the browser may read (Access-Control-Expose-Headers).",
                          "maxItems": 32,
                          "x-kubernetes-list-type": "set",
                          "items": {
                            "type": "string",
                            "maxLength": 256,
                            "x-kubernetes-validations": [
                              {
                                "rule": "self.matches('^[A-Za-z0-9][-A-Za-z0-9_.]*$')",
                                "message": "must be an HTTP header name such as x-request-id (letters, digits, \"-\", \"_\" and \".\")"
                              }
                            ]
                          }
                        },
                        "credentials": {
                          "type": "boolean",
                          "description": "Whether the browser may send credentials (Access-Control-Allow-Credentials). Default false."
                        },
                        "maxAge": {
                          "type": "string",
                          "description": "How long the browser may cache a preflight answer (Access-Control-Max-Age), e.g. \"24h\".",
                          "maxLength": 32,
                          "x-kubernetes-validations": [
                            {
                              "rule": "self.matches('^([0-9]{1,9}(h|m|s|ms))+$')",
                              "message": "must be a duration such as 3s, 500ms or 1m30s (units h, m, s, ms)"
                            }
                          ]
                        }
                      }
                    },
                    "allowUpgrade": {
                      "type": "array",
                      "description": "Protocols the client may upgrade the connection to (Connection: Upgrade), case-insensitive, e.g. websocket or spdy/3.1. After the upgrade the bytes are relayed as they are.",
                      "maxItems": 8,
                      "x-kubernetes-list-type": "set",
                      "items": {
                        "type": "string",
                        "maxLength": 64,
                        "x-kubernetes-validations": [
                          {
                            "rule": "self.matches('^[A-Za-z0-9][-A-Za-z0-9_./]*$')",
                            "message": "must be a protocol name such as websocket or spdy/3.1"
                          }
                        ]
                      }
                    },
                    "circuitBreakers": {
                      "type": "object",
                      "description": "Limits on what Envoy sends to the service at once; above them requests fail fast with 503. Omitted, Envoy's defaults: 1024 connections, 1024 pending requests, 1024 requests, 3 retries.",
                      "properties": {
                        "maxConnections": {
                          "type": "integer",
                          "description": "Connections to the service at once.",
                          "minimum": 1,
                          "maximum": 1000000000
                        },
                        "maxPendingRequests": {
                          "type": "integer",
                          "description": "Requests waiting for a connection at once.",
                          "minimum": 1,
                          "maximum": 1000000000
                        },
                        "maxRequests": {
                          "type": "integer",
                          "description": "Requests in flight at once.",
                          "minimum": 1,
                          "maximum": 1000000000
                        },
                        "maxRetries": {
                          "type": "integer",
                          "description": "Retries in flight at once.",
                          "minimum": 0,
                          "maximum": 1000000000
                        }
                      }
                    },
                    "loadBalancer": {
                      "type": "object",
                      "description": "How requests are spread over the service's endpoints.",
                      "required": [
                        "policy"
                      ],
                      "x-kubernetes-validations": [
                        {
                          "rule": "!(self.policy == 'RingHash' || self.policy == 'Maglev') || (has(self.cookie) && !has(self.header) && !(has(self.sourceIp) && self.sourceIp)) || (!has(self.cookie) && has(self.header) && !(has(self.sourceIp) && self.sourceIp)) || (!has(self.cookie) && !has(self.header) && has(self.sourceIp) && self.sourceIp)",
                          "message": "must name exactly one of cookie, header or sourceIp to hash on, with policy RingHash or Maglev"
                        },
                        {
                          "rule": "self.policy == 'RingHash' || self.policy == 'Maglev' || (!has(self.cookie) && !has(self.header) && !(has(self.sourceIp) && self.sourceIp))",
                          "message": "must not set cookie, header or sourceIp unless policy is RingHash or Maglev (they say what to hash on)"
                        }
                      ],
                      "properties": {
                        "policy": {
                          "type": "string",
                          "description": "RoundRobin, LeastRequest, or a consistent hash (RingHash, Maglev) on one of cookie, header or sourceIp.",
                          "enum": [
                            "RoundRobin",
                            "LeastRequest",
                            "RingHash",
                            "Maglev"
                          ]
                        },
                        "cookie": {
                          "type": "object",
                          "description": "Hash on this cookie; Envoy sets it when the request has none.",
                          "required": [
                            "name"
                          ],
                          "properties": {
                            "name": {
                              "type": "string",
                              "minLength": 1,
                              "maxLength": 256,
                              "x-kubernetes-validations": [
                                {
                                  "rule": "self.matches('^[A-Za-z0-9][-A-Za-z0-9_.]*$')",
                                  "message": "must be a cookie name such as session (letters, digits, \"-\", \"_\" and \".\")"
                                }
                              ]
                            },
                            "path": {
                              "type": "string",
                              "description": "The cookie's Path.",
                              "maxLength": 1024
                            },
                            "ttl": {
                              "type": "string",
                              "description": "The cookie's lifetime, e.g. \"1h\"; omitted, a session cookie.",
                              "maxLength": 32,
                              "x-kubernetes-validations": [
                                {
                                  "rule": "self.matches('^([0-9]{1,9}(h|m|s|ms))+$')",
                                  "message": "must be a duration such as 3s, 500ms or 1m30s (units h, m, s, ms)"
                                }
                              ]
                            }
                          }
                        },
                        "header": {
                          "type": "string",
                          "description": "Hash on this request header.",
                          "maxLength": 256,
                          "x-kubernetes-validations": [
                            {
                              "rule": "self.matches('^[A-Za-z0-9][-A-Za-z0-9_.]*$')",
                              "message": "must be an HTTP header name such as x-user-id (letters, digits, \"-\", \"_\" and \".\")"
                            }
                          ]
                        },
                        "sourceIp": {
                          "type": "boolean",
                          "description": "Hash on the client's IP address."
                        }
                      }
                    },
                    "grpc": {
                      "type": "boolean",
                      "description": "Speak HTTP/2 to the service (needed for gRPC). Default false."
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
