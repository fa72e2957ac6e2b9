{{/* Names, labels and the operator's environment, shared by the templates. */}}

{{- define "locust-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "locust-operator.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "locust-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Common labels of every object. */}}
{{- define "locust-operator.labels" -}}
helm.sh/chart: {{ include "locust-operator.chart" . }}
app.kubernetes.io/name: {{ include "locust-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/*
Selector of the operator's pods. The component label keeps it disjoint from the OTel collector's
pods, which share name and instance.
*/}}
{{- define "locust-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "locust-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "locust-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "locust-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The namespace the operator reconciles in namespaced mode; empty in cluster-wide mode. */}}
{{- define "locust-operator.watchNamespace" -}}
{{- if not .Values.k8s.clusterRole.enabled -}}
{{- default .Release.Namespace .Values.k8s.watchNamespace -}}
{{- end -}}
{{- end -}}

{{/* The Lease the operator elects its leader with (the operator's default --leader-election-id). */}}
{{- define "locust-operator.leaseName" -}}
locust-k8s-operator.locust.io
{{- end -}}

{{- define "locust-operator.webhookCertDir" -}}
/tmp/k8s-webhook-server/serving-certs
{{- end -}}

{{- define "locust-operator.webhookSecretName" -}}
{{- printf "%s-webhook-certs" (include "locust-operator.fullname" .) -}}
{{- end -}}

{{- define "locust-operator.webhookServiceName" -}}
{{- printf "%s-webhook" (include "locust-operator.fullname" .) -}}
{{- end -}}

{{/*
Job TTL as the operator reads it. Kept as a string so that 0 is rendered (the Go chart treated 0
as empty, weak spot 19); numbers from values files arrive as floats, hence int64.
*/}}
{{- define "locust-operator.ttl" -}}
{{- $ttl := .Values.locustPods.ttlSecondsAfterFinished -}}
{{- if kindIs "string" $ttl -}}
{{- $ttl -}}
{{- else if not (kindIs "invalid" $ttl) -}}
{{- $ttl | int64 -}}
{{- end -}}
{{- end -}}

{{/*
Env entries for one resource level: prefix (e.g. POD, MASTER_POD) and a requests/limits map with
cpu, memory and ephemeralStorage. Only the quantities that are set are emitted.
*/}}
{{- define "locust-operator.resourceEnv" -}}
{{- $prefix := index . 0 -}}
{{- $resources := index . 1 | default dict -}}
{{- /* Lists, not dicts: range over a dict is alphabetical, and requests-then-limits reads better. */}}
{{- range $kind := list (list "requests" "REQUEST") (list "limits" "LIMIT") }}
{{- $values := get $resources (index $kind 0) | default dict }}
{{- range $key := list (list "cpu" "CPU") (list "memory" "MEM") (list "ephemeralStorage" "EPHEMERAL") }}
{{- with get $values (index $key 0) }}
- name: {{ printf "%s_%s_%s" $prefix (index $key 1) (index $kind 1) }}
  value: {{ . | toString | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The operator's environment (spec §6.2), from locustPods and kafka. */}}
{{- define "locust-operator.env" -}}
{{- $pods := .Values.locustPods -}}
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- with include "locust-operator.ttl" . }}
- name: JOB_TTL_SECONDS_AFTER_FINISHED
  value: {{ . | quote }}
{{- end }}
{{- include "locust-operator.resourceEnv" (list "POD" $pods.resources) }}
{{- include "locust-operator.resourceEnv" (list "MASTER_POD" $pods.masterResources) }}
{{- include "locust-operator.resourceEnv" (list "WORKER_POD" $pods.workerResources) }}
- name: METRICS_EXPORTER_IMAGE
  value: {{ $pods.metricsExporter.image | quote }}
- name: METRICS_EXPORTER_PORT
  value: {{ $pods.metricsExporter.port | int64 | toString | quote }}
- name: METRICS_EXPORTER_IMAGE_PULL_POLICY
  value: {{ $pods.metricsExporter.pullPolicy | quote }}
{{- include "locust-operator.resourceEnv" (list "METRICS_EXPORTER" $pods.metricsExporter.resources) }}
- name: ENABLE_AFFINITY_CR_INJECTION
  value: {{ $pods.affinityInjection | toString | quote }}
- name: ENABLE_TAINT_TOLERATIONS_CR_INJECTION
  value: {{ $pods.tolerationsInjection | toString | quote }}
{{- with $pods.runtimeClassName }}
- name: DEFAULT_RUNTIME_CLASS_NAME
  value: {{ . | quote }}
{{- end }}
{{- with .Values.kafka }}
{{- if .enabled }}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ .bootstrapServers | quote }}
- name: KAFKA_SECURITY_ENABLED
  value: {{ .security.enabled | toString | quote }}
{{- if .security.enabled }}
- name: KAFKA_SECURITY_PROTOCOL_CONFIG
  value: {{ .security.protocol | quote }}
- name: KAFKA_SASL_MECHANISM
  value: {{ .security.saslMechanism | quote }}
- name: KAFKA_SASL_JAAS_CONFIG
  value: {{ .security.jaasConfig | quote }}
{{- with .credentials.secretName }}
- name: KAFKA_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.kafka.credentials.usernameKey }}
- name: KAFKA_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.kafka.credentials.passwordKey }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The operator's command-line flags (docs/operator.md; webhook flags as spec §6.1). */}}
{{- define "locust-operator.args" -}}
- --health-probe-bind-address=:8081
- --leader-elect={{ .Values.leaderElection.enabled }}
{{- if .Values.metrics.enabled }}
- --metrics-bind-address=:{{ .Values.metrics.port | int64 }}
{{- else }}
- --metrics-bind-address=0
{{- end }}
{{- with include "locust-operator.watchNamespace" . }}
- --watch-namespace={{ . }}
{{- end }}
{{- if .Values.webhook.enabled }}
- --enable-webhooks=true
- --webhook-cert-path={{ include "locust-operator.webhookCertDir" . }}
{{- end }}
- --log-level={{ .Values.logLevel }}
- --max-concurrent-reconciles={{ .Values.maxConcurrentReconciles | int64 }}
- --pod-health-grace-period={{ .Values.podHealthGracePeriod }}
- --shutdown-timeout={{ .Values.shutdownTimeout }}
{{- with .Values.extraArgs }}
{{ toYaml . }}
{{- end }}
{{- end -}}
