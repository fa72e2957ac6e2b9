// Command etcd is etcd's own server entry point, built from the etcd server
// module that kube-apiserver already depends on, so both share one version.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
