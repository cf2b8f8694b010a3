// The DNS name grammars Kubernetes names are checked against (k8s.io/apimachinery/pkg/util/validation), one
// copy for the whole operator: Service names are RFC 1035 labels, namespaces RFC 1123 labels, Service port
// names IANA service names, cluster domains RFC 1123 subdomains.

/** RFC 1123 label: a namespace name (at most 63 characters; checked apart). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1035 label: a Service name (starts with a letter; at most 63 characters, checked apart). */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: dot-separated RFC 1123 labels (at most 253 characters, checked apart). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The characters of an IANA service name (a named Service port); its length and letter rules are checked apart. */
export const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export const DNS_LABEL_MAX = 63;
