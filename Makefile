# iamgate: the two commands of the README are `make synth` and `make test`.
SHELL := /bin/bash

# Node 20 is what Debian offers; jsii's end-of-life banner is noise here.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION ?= 20
# No AWS or telemetry traffic from the pinned CLI on machines without internet.
export CDK_DISABLE_VERSION_CHECK ?= 1
export CDK_DISABLE_CLI_TELEMETRY ?= true

# The CDK CLI pinned in package.json (never a floating npx aws-cdk).
CDK := node_modules/.bin/cdk
# The app's stack: cdk.json's iamgate:stackName, else IamGate (STACK=name
# overrides it, e.g. after -c iamgate:stackName=name).
ifeq ($(origin STACK),undefined)
STACK := $(shell node -p "(JSON.parse(require('fs').readFileSync('cdk.json', 'utf8')).context || {})['iamgate:stackName'] || 'IamGate'" 2>/dev/null || echo IamGate)
endif

# PROFILE=name selects an AWS profile for bootstrap, diff and deploy;
# REGION=name the region (default: AWS_REGION, else the profile's).
PROFILE ?=
REGION ?=
PROFILE_FLAG := $(if $(PROFILE),--profile $(PROFILE))
ifneq ($(REGION),)
export AWS_REGION := $(REGION)
export AWS_DEFAULT_REGION := $(REGION)
endif

.PHONY: synth test diff bootstrap deploy deploy-local iamgate bench deps clean

# Synthesizes the app on the configuration in cdk.json: cdk.out/$(STACK).template.json
synth: $(CDK)
	$(CDK) synth --quiet
	@echo "synthesized: cdk.out/$(STACK).template.json"

# Runs every test: Go unit, construct and stack tests (with the golden
# template), and the checks of the synthesized templates.
test: $(CDK)
	go test ./...

# Shows what a deploy would change in the account of the current credentials.
diff: $(CDK)
	$(CDK) diff $(STACK) $(PROFILE_FLAG)

# Once per account and region: the CDK's bootstrap stack.
bootstrap: $(CDK)
	$(CDK) bootstrap $(PROFILE_FLAG)

# Deploys the stack and writes its outputs to cdk-outputs.json, which
# `iamgate call --stack` reads. Asks before widening IAM permissions.
deploy: $(CDK)
	$(CDK) deploy $(STACK) $(PROFILE_FLAG) --require-approval broadening --outputs-file cdk-outputs.json

# Deploys the default stack to moto_server on a free loopback port (no AWS
# account needed) and prints the API URL and resource tree the mock holds.
deploy-local: $(CDK)
	bash deploy/local.sh

# The iamgate command (it needs neither Node.js nor the CDK): bin/iamgate
iamgate:
	go build -o bin/iamgate ./cmd/iamgate

# The envelope render against Apache Velocity 1.7 (bench/envelope.sh), the
# local gateway against a plain reverse proxy (bench/run.sh), and the app's
# synth against a one-method CDK app (bench/synth.sh).
bench: $(CDK)
	bash bench/envelope.sh
	bash bench/run.sh
	bash bench/synth.sh

deps: $(CDK)
	go mod download

# go.mod's ignore directive keeps node_modules (the CDK CLI's Go init
# templates) out of ./...
$(CDK): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf cdk.out
