declare module 'angry-purple-tiger' {
  /** Helium's three-word animal name of a string (normally a hotspot address). */
  export default function animalHash(input: string): string;
}
