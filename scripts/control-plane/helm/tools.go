//go:build tools

// Package tools pins the helm command built from this wrapper module so that `go mod tidy` keeps
// its dependencies. Helm lives in its own module (not ../go) because it requires k8s.io v0.37.x,
// which would bump the control plane's k8s.io staging modules away from v0.36.3.
package tools

import (
	_ "helm.sh/helm/v3/cmd/helm"
)
