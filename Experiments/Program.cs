Console.WriteLine("Experiments: see README.");
