import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';

export interface DatabaseProps {
  readonly vpc: ec2.IVpc;
  /** The RDS instance identifier, unique in the account and region (the workshop's by-hand database has `rock-of-ages-db`). */
  readonly instanceIdentifier: string;
  /** The zone to run in (the API host's); a Multi-AZ database has its standby in another and names none. */
  readonly availabilityZone: string;
  /** A standby in a second zone that RDS fails over to (twice the instance and storage cost). */
  readonly multiAz: boolean;
  /** A read replica beside it, for reporting queries (the API itself reads and writes the primary). */
  readonly readReplica: boolean;
  /** An RDS instance class such as `db.t4g.micro`. */
  readonly instanceClass: string;
  /** The opt-in: a range that may reach PostgreSQL from the internet. Nothing may when absent. */
  readonly publicAccessCidr?: string;
  /** Delete the data with the stack instead of keeping a final snapshot and the secret. */
  readonly deleteDataOnDestroy: boolean;
}

/** The workshop's names, which the API's defaults use. */
export const databaseName = 'rockofages';
export const masterUsername = 'rockadmin';
export const databasePort = 5432;

/**
 * RDS PostgreSQL 15 with the workshop's settings (single-AZ db.t4g.micro, 20 GB gp2 growing to 100 GB,
 * one day of backups, no enhanced monitoring), but with a generated password in Secrets Manager,
 * encrypted storage, TLS required, and no way in but `allowFrom`'s and the opted-in public range.
 * Multi-AZ and a read replica are settings, for the ECS option.
 */
export class Database extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly readReplica?: rds.DatabaseInstanceReadReplica;
  readonly secret: rds.DatabaseSecret;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_15 });

    this.secret = new rds.DatabaseSecret(this, 'Secret', {
      username: masterUsername,
      // Letters and digits only: the password travels through shell commands and connection URLs.
      excludeCharacters: ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Rock of Ages database: PostgreSQL from the API host only',
      allowAllOutbound: false,
    });
    if (props.publicAccessCidr !== undefined) {
      this.securityGroup.addIngressRule(
        ec2.Peer.ipv4(props.publicAccessCidr),
        ec2.Port.tcp(databasePort),
        'PostgreSQL from the range opted in with dbPublicAccessCidr',
      );
    }

    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: 'Rock of Ages database: TLS required',
      parameters: { 'rds.force_ssl': '1' },
    });

    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine,
      instanceIdentifier: props.instanceIdentifier,
      instanceType: new ec2.InstanceType(props.instanceClass.replace(/^db\./, '')),
      multiAz: props.multiAz,
      // RDS refuses a zone for a Multi-AZ instance: it places the primary and the standby itself.
      availabilityZone: props.multiAz ? undefined : props.availabilityZone,
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      storageType: rds.StorageType.GP2,
      storageEncrypted: true,
      backupRetention: Duration.days(1),
      databaseName,
      credentials: rds.Credentials.fromSecret(this.secret),
      port: databasePort,
      parameterGroup,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      publiclyAccessible: props.publicAccessCidr !== undefined,
      securityGroups: [this.securityGroup],
      autoMinorVersionUpgrade: true,
      // The final snapshot keeps the data; deletion protection would make `cdk destroy` fail half-way.
      deletionProtection: false,
      removalPolicy: props.deleteDataOnDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.SNAPSHOT,
    });
    // Kept with the snapshot, so that the password that opens it is not lost.
    this.secret.applyRemovalPolicy(props.deleteDataOnDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);

    if (props.readReplica) {
      this.readReplica = new rds.DatabaseInstanceReadReplica(this, 'ReadReplica', {
        sourceDatabaseInstance: this.instance,
        instanceIdentifier: `${props.instanceIdentifier}-replica`,
        instanceType: new ec2.InstanceType(props.instanceClass.replace(/^db\./, '')),
        // Encrypted as its source is: RDS copies the primary's encryption.
        parameterGroup,
        caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
        vpc: props.vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        publiclyAccessible: false,
        securityGroups: [this.securityGroup],
        autoMinorVersionUpgrade: true,
        deletionProtection: false,
        // A copy of the primary: nothing to keep when it goes.
        removalPolicy: RemovalPolicy.DESTROY,
      });
    }

    this.acknowledgeFindings(props);
  }

  /** Lets a security group reach PostgreSQL (an ingress rule here, an egress rule there), and nothing else. */
  allowFrom(peer: ec2.ISecurityGroup, description: string): void {
    this.instance.connections.allowFrom(peer, ec2.Port.tcp(databasePort), description);
  }

  private acknowledgeFindings({ publicAccessCidr, multiAz }: DatabaseProps): void {
    if (publicAccessCidr !== undefined) {
      Validations.of(this.instance).acknowledge({
        id: 'CloudFormation-Validate::W9011',
        reason: `Public access was opted into with dbPublicAccessCidr; the security group admits only ${publicAccessCidr}.`,
      });
    }
    if (!multiAz) {
      Validations.of(this.instance).acknowledge({
        id: 'AwsSolutions-RDS3',
        reason: "Single-AZ, as in the workshop: a Multi-AZ standby doubles the cost and is outside the free tier.",
      });
    }
    Validations.of(this.instance).acknowledge(
      {
        id: 'AwsSolutions-RDS10',
        reason:
          'Deletion protection would make `cdk destroy` fail half-way; the data is kept instead by the final ' +
          'snapshot taken on deletion (RemovalPolicy.SNAPSHOT) unless devDeleteDataOnDestroy is set.',
      },
      {
        id: 'AwsSolutions-RDS11',
        reason:
          "The workshop, the API's defaults and the pipeline use PostgreSQL's standard port 5432; the security " +
          'group, not an unusual port number, is what keeps others out.',
      },
    );
    if (this.readReplica !== undefined) {
      Validations.of(this.readReplica).acknowledge(
        {
          id: 'AwsSolutions-RDS2',
          reason:
            'Encrypted: a replica of an encrypted primary is encrypted with its key, and CloudFormation refuses StorageEncrypted ' +
            'beside SourceDBInstanceIdentifier, which is what the rule looks for.',
        },
        {
          id: 'AwsSolutions-RDS3',
          reason: 'A read replica is a copy already: the primary (Multi-AZ by default on ECS) is what fails over.',
        },
        {
          id: 'AwsSolutions-RDS10',
          reason: 'The replica holds no data of its own: deleting it loses nothing, and protection would make `cdk destroy` fail.',
        },
        {
          id: 'AwsSolutions-RDS11',
          reason: "The primary's standard port 5432, which a replica keeps; the security group is what keeps others out.",
        },
      );
    }
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The API host reads the password from this secret at each deploy and hands it to the container, which keeps ' +
        'it until the next deploy: a rotation would cut the running API off until then. Rotation also needs a ' +
        'rotation function with a route to Secrets Manager and to the database.',
    });
  }
}
