/** Where Kafka is. In the local topology the brokers are reached through Toxiproxy. */
export interface KafkaSettings {
  brokers: string[];
}

/** A topic a service owns and creates at start-up if missing. */
export interface TopicSpec {
  topic: string;
  /**
   * More than one partition on purpose: ordering then depends on the key, which is what article 4
   * is about. A single partition would hide an unkeyed publisher's bug.
   */
  numPartitions: number;
}
