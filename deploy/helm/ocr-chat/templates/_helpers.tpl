{{/* Names, labels and the service table every template loops over. */}}

{{- define "ocr-chat.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ocr-chat.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The seven services: values key -> app name (apps/<app>), whether it serves gRPC, whether it is a
Kafka page worker. Kept in one place so every template agrees.
*/}}
{{- define "ocr-chat.services" -}}
gateway: { app: gateway, grpc: false, worker: false }
authBilling: { app: auth-billing, grpc: true, worker: false }
ingest: { app: ingest, grpc: true, worker: false }
export: { app: export, grpc: true, worker: false }
chat: { app: chat, grpc: true, worker: false }
cpuOcr: { app: cpu-ocr, grpc: false, worker: true }
vlmOcr: { app: vlm-ocr, grpc: false, worker: true }
{{- end }}

{{/* "<fullname>-<app>", trimmed so the longest app name still fits 63 characters. */}}
{{- define "ocr-chat.componentName" -}}
{{- $root := index . 0 }}{{- $app := index . 1 -}}
{{- printf "%s-%s" (include "ocr-chat.fullname" $root | trunc (int (sub 62 (len $app)))) $app | trimSuffix "-" }}
{{- end }}

{{- define "ocr-chat.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "ocr-chat.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ocr-chat
{{- end }}

{{/* Selector labels of one component: list (root, app). */}}
{{- define "ocr-chat.selectorLabels" -}}
{{- $root := index . 0 }}{{- $app := index . 1 -}}
app.kubernetes.io/name: {{ include "ocr-chat.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ $app }}
{{- end }}

{{- define "ocr-chat.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Termination grace of a worker: it must outlast a page (PAGE_TIMEOUT_SECONDS). */}}
{{- define "ocr-chat.workerGrace" -}}
{{- add (int .Values.settings.pageTimeoutSeconds) (int .Values.workers.terminationGraceExtraSeconds) }}
{{- end }}

{{/* Is KEDA driving the workers? */}}
{{- define "ocr-chat.keda" -}}
{{- if .Values.autoscaling.keda.enabled }}true{{ end }}
{{- end }}
